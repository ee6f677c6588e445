"""Fetch inbound mail (replies, bounces) from a Maildir or an IMAP mailbox and ingest each one
with :func:`nurture.services.inbound.ingest_raw`. Run it from cron or a systemd timer."""

from __future__ import annotations

import imaplib
import mailbox
import os
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.management.base import BaseCommand, CommandError

from nurture.services.inbound import ingest_raw

IMAP_PASSWORD_ENV = "INGEST_IMAP_PASSWORD"  # noqa: S105 (the variable's name, not a secret)


class Command(BaseCommand):
    help = (
        "Ingest inbound mail: --maildir PATH (new/ and unseen cur/ messages; each is then "
        "marked seen, or deleted with --delete) or --imap imaps://user:pass@host:993/INBOX "
        f"(UNSEEN messages, then \\Seen; the password may come from ${IMAP_PASSWORD_ENV})."
    )

    def add_arguments(self, parser):
        parser.add_argument("--maildir", metavar="PATH", help="a Maildir (with cur/ new/ tmp/)")
        parser.add_argument("--imap", metavar="URL", help="imaps://user:pass@host:993/INBOX")
        parser.add_argument(
            "--delete", action="store_true", help="delete each mail once it is ingested"
        )

    def handle(self, *args, maildir=None, imap=None, delete=False, **options):
        if bool(maildir) == bool(imap):
            raise CommandError("Give exactly one of --maildir PATH or --imap URL.")
        self.counts = Counter()
        if maildir:
            self._maildir(maildir, delete)
        else:
            self._imap(imap, delete)
        self._summary("maildir" if maildir else "imap")

    # ------------------------------------------------------------------- bookkeeping

    def _ingest(self, raw: bytes, source: str, label: str) -> bool:
        try:
            mail = ingest_raw(raw=raw, source=source)
        except Exception as exc:  # one bad mail must not stop the others; it stays unread
            self.counts["failed"] += 1
            self.stderr.write(f"{label}: not ingested ({type(exc).__name__}: {exc})")
            return False
        self.counts["ingested"] += 1
        self.counts[mail.kind] += 1
        self.counts["matched" if mail.message_id else "unmatched"] += 1
        return True

    def _summary(self, source: str) -> None:
        c = self.counts
        self.stdout.write(
            f"{source}: {c['ingested']} ingested ({c['reply']} replies, {c['bounce']} bounces, "
            f"{c['other']} other; {c['matched']} matched, {c['unmatched']} unmatched), "
            f"{c['failed']} failed"
        )
        if c["failed"]:
            raise CommandError(
                f"{c['failed']} mail(s) could not be ingested; they were left in place."
            )

    # ------------------------------------------------------------------- Maildir

    def _maildir(self, path: str, delete: bool) -> None:
        root = Path(path)
        missing = [sub for sub in ("cur", "new", "tmp") if not (root / sub).is_dir()]
        if missing:
            raise CommandError(f"{path} is not a Maildir (missing {', '.join(missing)}/).")
        box = mailbox.Maildir(root, factory=None, create=False)
        for key in sorted(box.keys()):
            message = box.get_message(key)
            if message.get_subdir() == "cur" and "S" in message.get_flags():
                continue  # seen: ingested before
            if not self._ingest(box.get_bytes(key), "maildir", f"maildir {key}"):
                continue
            if delete:
                box.discard(key)
            else:
                message.set_subdir("cur")
                message.add_flag("S")
                box[key] = message

    # ------------------------------------------------------------------- IMAP

    def _imap(self, url: str, delete: bool) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("imap", "imaps") or not parts.hostname or not parts.username:
            raise CommandError("--imap needs a URL like imaps://user:pass@host:993/INBOX.")
        password = unquote(parts.password or "") or os.environ.get(IMAP_PASSWORD_ENV, "")
        if not password:
            raise CommandError(f"--imap: give the password in the URL or in ${IMAP_PASSWORD_ENV}.")
        folder = unquote(parts.path.lstrip("/")) or "INBOX"
        try:
            if parts.scheme == "imaps":
                client = imaplib.IMAP4_SSL(parts.hostname, parts.port or 993)
            else:
                client = imaplib.IMAP4(parts.hostname, parts.port or 143)
                client.starttls()  # never send the password in the clear
            client.login(unquote(parts.username), password)
        except (OSError, imaplib.IMAP4.error) as exc:
            raise CommandError(f"--imap: could not log in to {parts.hostname}: {exc}") from exc
        try:
            self._imap_fetch(client, folder, delete)
        finally:
            client.logout()

    def _imap_fetch(self, client: imaplib.IMAP4, folder: str, delete: bool) -> None:
        status, _ = client.select(folder)
        if status != "OK":
            raise CommandError(f"--imap: no mailbox {folder!r}.")
        _, data = client.uid("SEARCH", None, "UNSEEN")
        for uid in (data[0] or b"").split():
            # BODY.PEEK does not set \Seen: only an ingested mail is marked
            _, fetched = client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((item[1] for item in fetched if isinstance(item, tuple)), None)
            if raw is None or not self._ingest(raw, "imap", f"imap uid {uid.decode()}"):
                continue
            client.uid("STORE", uid, "+FLAGS", r"(\Deleted)" if delete else r"(\Seen)")
        if delete:
            client.expunge()
