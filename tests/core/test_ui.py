"""Base UI: strict CSP, no inline script/style anywhere, htmx vendored, partial rendering."""

import json
import re
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.template import engines
from django.template.loader import get_template
from django.test import RequestFactory
from django.urls import reverse
from django_htmx.middleware import HtmxMiddleware

from config.core.htmx import render_page

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


def test_every_response_carries_the_strict_csp(client, db):
    response = client.get(reverse("login"))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_script_or_style(template):
    source = template.read_text()
    # JSON-LD is a data block the browser never executes, so the CSP does not apply to it.
    executable = r"<script(?![^>]*\b(?:src=|type=\"application/ld\+json\"))[^>]*>"
    assert not re.search(executable, source), "inline <script>"
    assert "<style" not in source, "inline <style>"
    assert not re.search(r"\sstyle=", source), "style attribute"
    assert not re.search(r"\son[a-z]+=", source), "inline event handler"
    assert "hx-on" not in source


def test_htmx_is_vendored_not_from_a_cdn(client, recruiter):
    client.force_login(recruiter)
    html = client.get(reverse("home")).content.decode()
    assert "/static/vendor/htmx/htmx.min.js" in html
    assert not re.search(r"(src|href)=\"https?://", html)
    assert (ROOT / "static/vendor/htmx/htmx.min.js").stat().st_size > 10_000
    meta = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'', html)
    assert meta and '"includeIndicatorStyles": false' in meta.group(1)
    # Pages hold candidates' personal data: htmx must not keep copies in localStorage.
    assert json.loads(meta.group(1))["historyCacheSize"] == 0


def test_static_files_are_served_by_whitenoise(client, db):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)


def _page_template(tmp_path, settings):
    (tmp_path / "demo_page.html").write_text(
        "{% load partials %}<html><body><h1>Page</h1>"
        "{% partialdef rows inline %}<ul><li>{{ item }}</li></ul>{% endpartialdef %}"
        "</body></html>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    engines._engines = {}


@pytest.mark.parametrize(("htmx", "expect_full"), [(False, True), (True, False)])
def test_render_page_returns_the_partial_for_htmx(tmp_path, settings, htmx, expect_full):
    _page_template(tmp_path, settings)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    request = RequestFactory().get("/", **headers)
    HtmxMiddleware(lambda r: HttpResponse())(request)
    response = render_page(request, "demo_page.html", {"item": "one"}, partial="rows")
    body = response.content.decode()
    assert "<li>one</li>" in body
    assert ("<h1>Page</h1>" in body) is expect_full
    assert response.headers["Vary"] == "HX-Request"
    engines._engines = {}


def test_404_page_is_friendly_and_reveals_nothing(client, recruiter):
    client.force_login(recruiter)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]


def test_500_page_renders_standalone():
    html = get_template("500.html").render({})
    assert "</html>" in html
