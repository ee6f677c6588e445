"""The development outbox: sent mail kept as .eml files and browsable by staff at /outbox/."""

import pytest
from django.core.mail import EmailMultiAlternatives, send_mail
from django.urls import reverse

from config.core import mail


@pytest.fixture
def outbox(settings, tmp_path):
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "config.core.mail.OutboxEmailBackend"
    settings.OUTBOX_DIR = tmp_path / "outbox"
    return settings.OUTBOX_DIR


def test_outbox_backend_keeps_each_message_as_an_eml_file(outbox):
    sent = send_mail("Hello", "Plain body", "from@example.com", ["to@example.com"])
    assert sent == 1
    files = list(outbox.glob("*.eml"))
    assert len(files) == 1
    stored = mail.read_mail(files[0].stem)
    assert stored.subject == "Hello"
    assert stored.to == "to@example.com"
    assert stored.text.strip() == "Plain body"
    assert stored.sent_at is not None


def test_outbox_lists_newest_first_for_staff(client, admin_user, outbox):
    send_mail("First", "1", None, ["a@example.com"])
    send_mail("Second", "2", None, ["b@example.com"])
    client.force_login(admin_user)
    response = client.get(reverse("outbox"))
    assert response.status_code == 200
    subjects = [item.subject for item in response.context["messages_out"]]
    assert set(subjects) == {"First", "Second"}
    assert "Second" in response.content.decode()


def test_outbox_detail_html_and_raw(client, admin_user, outbox):
    message = EmailMultiAlternatives("Rich", "text part", None, ["c@example.com"])
    message.attach_alternative("<p>html <b>part</b></p><script>alert(1)</script>", "text/html")
    message.send()
    mail_id = next(outbox.glob("*.eml")).stem
    client.force_login(admin_user)

    detail = client.get(reverse("outbox-detail", args=[mail_id]))
    assert detail.status_code == 200
    assert "text part" in detail.content.decode()
    assert "sandbox" in detail.content.decode()

    html = client.get(reverse("outbox-html", args=[mail_id]))
    assert html.status_code == 200
    csp = html.headers["Content-Security-Policy"]
    assert "sandbox" in csp and "script-src" not in csp and "default-src 'none'" in csp

    raw = client.get(reverse("outbox-raw", args=[mail_id]))
    assert raw.headers["Content-Disposition"].startswith("attachment;")
    assert b"Subject: Rich" in raw.content


@pytest.mark.parametrize("who", ["recruiter", "outsider"])
def test_outbox_is_hidden_from_non_staff(client, users, outbox, who):
    send_mail("Secret", "x", None, ["d@example.com"])
    client.force_login(users[who])
    assert client.get(reverse("outbox")).status_code == 404


def test_outbox_is_hidden_when_not_debug(client, admin_user, outbox, settings):
    settings.DEBUG = False
    client.force_login(admin_user)
    assert client.get(reverse("outbox")).status_code == 404


@pytest.mark.parametrize("bad_id", ["../../etc/passwd", "20260101T000000-zzz", "nope"])
def test_outbox_rejects_unknown_or_crafted_ids(client, admin_user, outbox, bad_id):
    client.force_login(admin_user)
    assert client.get(f"/outbox/{bad_id}/").status_code == 404
