"""A recruiter searches as they type: rows update in place, the count and facets follow, the
URL keeps the search, and Back returns to the previous one."""

import pytest

from config.core.demo import demo_users_load
from crm.services.candidates import candidate_upsert
from tests.e2e.helpers import log_in


def _people():
    for first, last, title, skills in [
        ("Grace", "Hopper", "Compiler Engineer", ["COBOL"]),
        ("Ada", "Lovelace", "Analyst", ["Python"]),
        ("Alan", "Turing", "Python Developer", ["Python", "SQL"]),
    ]:
        candidate_upsert(
            data={
                "first_name": first,
                "last_name": last,
                "email": f"{first.lower()}@example.com",
                "current_title": title,
                "skills": skills,
            },
            origin="recruiter",
        )


@pytest.mark.django_db(transaction=True)
def test_search_as_you_type_with_counts_and_history(live_server, page, screenshot_dir):
    demo_users_load()
    _people()
    log_in(page, live_server.url)

    page.goto(f"{live_server.url}/candidates/")
    results = page.locator("#search-results")
    assert results.get_by_text("Grace Hopper").is_visible()

    page.locator("input[name=q]").fill("python")
    page.wait_for_url("**/candidates/?q=python")
    page.wait_for_function("!document.querySelector('#search-results').innerText.includes('Grace')")
    rows = results.locator("tbody tr").all_inner_texts()
    assert [row.split("\n")[0].strip() for row in rows][:2] == ["Alan Turing", "Ada Lovelace"]
    # The counts arrive in their own request and replace "Counting…".
    count = page.locator("#results-count")
    count.get_by_text("2").wait_for()
    assert "2 candidates" in count.inner_text()
    facets = page.locator("#search-facets")
    assert "Python" in facets.inner_text() and "Counting" not in facets.inner_text()

    page.go_back()
    page.wait_for_url(f"{live_server.url}/candidates/")
    results.get_by_text("Grace Hopper").wait_for()
    count.get_by_text("3").wait_for()  # Back re-fetches the page, counts included
    assert "3 candidates" in count.inner_text()
    assert page.locator("#search-facets").count() == 1
    assert page.console_errors == [], page.console_errors
    # Last: a full-page screenshot leaves empty style attributes that a later htmx swap would
    # copy (and the CSP would then report).
    page.screenshot(path=str(screenshot_dir / "candidate-search.png"), full_page=True)
