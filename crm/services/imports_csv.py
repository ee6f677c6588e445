"""CSV import: read the file, guess the column mapping, import the rows or predict the import.

The dry run and the run are one function, :func:`import_rows`: the dry run does exactly the
same :func:`~crm.services.candidates.candidate_upsert` calls inside transactions that are rolled back, so
its counts are the run's counts (as long as nobody changes the same people in between).
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import re
from collections import defaultdict
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import DataError, IntegrityError, transaction

from config.core.models import User

from ..models import ImportJob, Source
from ..selectors.imports import CREATED, REJECTED, UNCHANGED, UPDATED
from .candidates import CleanInput, candidate_match, candidate_upsert, clean_input
from .errors import CandidateInputError
from .imports_common import (
    ImportFileError,
    Outcome,
    Progress,
    read_job_file,
    spreadsheet_safe,
    stored_name,
    summary_update,
)

CSV_MAX_BYTES = 20 * 1024 * 1024
MAX_COLUMNS = 200
PREVIEW_ROWS = 5
CHUNK_ROWS = 200  # rows per transaction
IGNORE = "ignore"

FIELDS = {
    IGNORE: "Ignore this column",
    "email": "Email",
    "phone": "Phone",
    "full_name": "Full name",
    "first_name": "First name",
    "last_name": "Last name",
    "linkedin_url": "LinkedIn URL",
    "github_url": "GitHub URL",
    "website_url": "Website",
    "current_title": "Job title",
    "current_company": "Company",
    "seniority": "Seniority",
    "years_experience": "Years of experience",
    "city": "City",
    "region": "Region / state",
    "country": "Country",
    "timezone": "Time zone",
    "remote_preference": "Remote preference",
    "skills": "Skills",
    "tags": "Tags",
    "source": "Source",
    "source_detail": "Source detail",
    "summary": "Summary",
}
MULTI = frozenset({"email", "phone", "skills", "tags"})  # several columns may feed these
IDENTITY = frozenset({"email", "phone", "linkedin_url", "full_name", "first_name", "last_name"})

_ALIASES = {
    "email": "email emailaddress mail workemail personalemail emailid primaryemail",
    "phone": "phone mobile mobilephone phonenumber cell cellphone telephone tel mobilenumber",
    "full_name": "name fullname candidatename candidate contactname",
    "first_name": "firstname givenname first forename",
    "last_name": "lastname surname familyname last",
    "linkedin_url": "linkedin linkedinurl linkedinprofile linkedinprofileurl",
    "github_url": "github githuburl githubprofile",
    "website_url": "website websiteurl homepage portfolio personalwebsite url",
    "current_title": "title jobtitle currenttitle position role headline currentposition",
    "current_company": "company currentcompany employer organization organisation companyname",
    "seniority": "seniority level",
    "years_experience": "yearsofexperience yearsexperience experienceyears experience",
    "city": "city town",
    "region": "region state province county",
    "country": "country countrycode",
    "timezone": "timezone tz",
    "skills": "skills skill keywords",
    "tags": "tags tag labels",
    "source": "source leadsource",
    "source_detail": "sourcedetail sourcedetails",
    "summary": "summary bio about",
}
_ALIAS_TO_FIELD = {alias: name for name, aliases in _ALIASES.items() for alias in aliases.split()}
# Headers such as "Work E-mail" or "Mobile Phone Number" that are not spelled exactly.
_CONTAINS = (("email", "email"), ("linkedin", "linkedin_url"), ("github", "github_url"),
             ("phone", "phone"), ("mobile", "phone"))  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class MappingError(ValueError):
    """The column mapping cannot work; the message is for a person."""


# --------------------------------------------------------------------------- reading


@dataclasses.dataclass
class CsvFile:
    encoding: str
    delimiter: str
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as a spreadsheet shows it, cells)
    notice: str = ""


def decode(data: bytes) -> tuple[str, str, str]:
    """(text, encoding, notice). UTF-8 with or without BOM; else Windows-1252 if it decodes."""
    if data.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            "This is an Excel workbook or another zip file, not CSV. "
            "Save the sheet as “CSV UTF-8” and upload that."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError("This file is UTF-16 text. Save it as “CSV UTF-8” and upload that.")
    if b"\x00" in data:
        raise ImportFileError("This file is not text (it looks like a binary file), so not CSV.")
    try:
        text = data.decode("utf-8-sig")
        encoding, notice = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8", ""
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportFileError(
                "This file is neither UTF-8 nor Windows-1252 text. Save it as “CSV UTF-8”."
            ) from None
        encoding = "cp1252"
        notice = (
            "This file is not UTF-8, so it was read as Windows-1252 (cp1252). Check that "
            "accented letters look right below; if not, save it as “CSV UTF-8” and upload again."
        )
    if len(_CONTROL.findall(text[:65536])) > 10:
        raise ImportFileError("This file is not text (it is full of control characters).")
    return text, encoding, notice


def _delimiter(text: str) -> str:
    """The delimiter the header line uses most (comma, semicolon, tab or pipe). The header is
    the one line that rarely holds these characters as data ("Python; Django" does)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {char: header.count(char) for char in ",;\t|"}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def parse_csv(text: str, *, encoding: str, delimiter: str | None = None) -> CsvFile:
    delimiter = delimiter or _delimiter(text)
    header, rows = None, []
    try:
        for number, cells in enumerate(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1
        ):
            if header is None:
                if any(cell.strip() for cell in cells):
                    header = [c.strip() or f"Column {i}" for i, c in enumerate(cells, 1)]
            elif any(cell.strip() for cell in cells):  # blank lines are skipped, not rejected
                rows.append((number, cells))
    except csv.Error as exc:
        raise ImportFileError(f"This file is not valid CSV ({exc}).") from None
    if header is None:
        raise ImportFileError("The file is empty.")
    if len(header) > MAX_COLUMNS:
        raise ImportFileError(f"The file has {len(header)} columns; the limit is {MAX_COLUMNS}.")
    if not rows:
        raise ImportFileError("The file has a header row but no rows of people.")
    return CsvFile(encoding, delimiter, header, rows)


def read_csv(data: bytes) -> CsvFile:
    """Decode and parse an uploaded file; raises :class:`ImportFileError` with the reason."""
    text, encoding, notice = decode(data)
    parsed = parse_csv(text, encoding=encoding)
    parsed.notice = notice
    return parsed


def read_job_csv(job: ImportJob) -> CsvFile:
    info = job.summary["csv"]
    text = read_job_file(job).decode(info["encoding"])
    return parse_csv(text, encoding=info["encoding"], delimiter=info["delimiter"])


def import_job_create_csv(*, upload: UploadedFile, actor: User | None) -> ImportJob:
    """Check an uploaded CSV and store it as an import job (nothing is stored if it is bad)."""
    assert upload.size is not None  # Django's upload handlers always set it
    if upload.size > CSV_MAX_BYTES:
        raise ImportFileError("The file is larger than 20 MB. Split it into smaller files.")
    data = upload.read()
    parsed = read_csv(data)
    job = ImportJob(
        kind=ImportJob.Kind.CSV,
        created_by=actor,
        original_name=(upload.name or "import.csv")[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        total_rows=len(parsed.rows),
        mapping={"columns": guess_mapping(parsed.header)},
        summary={
            "csv": {
                "encoding": parsed.encoding,
                "delimiter": parsed.delimiter,
                "notice": parsed.notice,
                "header": parsed.header,
                "sample": [
                    [cell[:200] for cell in cells] for _, cells in parsed.rows[:PREVIEW_ROWS]
                ],
            }
        },
    )
    job.file.save(stored_name(".csv"), ContentFile(data), save=False)
    job.save()
    return job


# --------------------------------------------------------------------------- mapping


def guess_field(header: str) -> str:
    key = re.sub(r"[^a-z0-9]", "", header.lower())
    if key in _ALIAS_TO_FIELD:
        return _ALIAS_TO_FIELD[key]
    for needle, name in _CONTAINS:
        if needle in key:
            return name
    return IGNORE


def guess_mapping(header: list[str]) -> list[str]:
    """A target field per column from its name; a single-value field is used once."""
    used, columns = set(), []
    for name in header:
        field = guess_field(name)
        if field in used and field not in MULTI:
            field = IGNORE
        used.add(field)
        columns.append(field)
    return columns


def validate_mapping(columns: list[str], header: list[str]) -> list[str]:
    if len(columns) != len(header) or any(c not in FIELDS for c in columns):
        raise MappingError("Choose a field (or “ignore”) for every column.")
    if not IDENTITY & set(columns):
        raise MappingError(
            "Map at least one column to email, phone, LinkedIn URL or a name: "
            "without one, nobody can be recognised."
        )
    twice = sorted(
        {FIELDS[c] for c in columns if c != IGNORE and c not in MULTI and columns.count(c) > 1}
    )
    if twice:
        raise MappingError(f"Only one column can be mapped to: {', '.join(twice)}.")
    return columns


# --------------------------------------------------------------------------- rows


@dataclasses.dataclass
class Row:
    number: int
    data: dict
    errors: list[dict]  # problems found before any upsert (e.g. too many cells)
    clean: CleanInput | None = None
    keys: tuple[str, ...] = ()


def _row(number: int, cells: list[str], columns: list[str]) -> Row:
    extra = [c for c in cells[len(columns) :] if c.strip()]
    if extra:
        message = f"has {len(cells)} values but the header has {len(columns)} columns"
        return Row(number, {}, [{"field": "", "message": message}])
    data: dict[str, Any] = {}
    lists: defaultdict[str, list[str]] = defaultdict(list)
    for index, field in enumerate(columns):
        value = cells[index].strip() if index < len(cells) else ""
        if field == IGNORE or not value:
            continue
        if field in MULTI:
            lists[field].append(value)
        elif field == "full_name":
            first, _, last = value.rpartition(" ")
            data.setdefault("first_name", first or last)
            data.setdefault("last_name", last if first else "")
        else:
            data[field] = value  # an explicit first/last name column wins over "full name"
    data.update(emails=lists["email"], phones=lists["phone"])
    data.update(skills="; ".join(lists["skills"]), tags="; ".join(lists["tags"]))
    row = Row(number, data, [])
    try:
        row.clean = clean_input(data)
    except CandidateInputError:
        return row  # candidate_upsert rejects it the same way, with the reasons
    linkedin = row.clean.scalars.get("linkedin_url")
    row.keys = (
        *(f"email {e}" for e in row.clean.emails),
        *(f"phone {p}" for p in row.clean.phones),
        *((f"LinkedIn {linkedin}",) if linkedin else ()),
    )
    return row


def _labels(columns: list[str], header: list[str]) -> dict[str, str]:
    """Input field name (as errors name it) -> the CSV column(s) it came from."""
    by_field = defaultdict(list)
    for name, field in zip(header, columns, strict=True):
        by_field[field].append(name)
    labels = {field: " / ".join(names) for field, names in by_field.items()}
    labels.update(emails=labels.get("email", "Email"), phones=labels.get("phone", "Phone"))
    for part in ("first_name", "last_name"):
        labels.setdefault(part, labels.get("full_name", FIELDS[part]))
    return labels


def _upsert_row(row: Row, *, actor, label: str, labels: dict) -> Outcome:
    def rejected(errors):
        return Outcome(REJECTED, {"row": row.number, "errors": errors})

    if row.errors:
        return rejected(row.errors)
    try:
        result = candidate_upsert(
            data=row.data, actor=actor, source=Source.IMPORT, origin="import", channel_summary=label
        )
    except CandidateInputError as exc:
        errors = [
            {"field": labels.get(f) or FIELDS.get(f, f), "message": m}
            for f, m in exc.errors.items()
        ]
        return rejected(errors)
    except (DataError, IntegrityError) as exc:  # e.g. a value too long for its column
        return rejected([{"field": "", "message": f"could not be saved ({str(exc).strip()})"}])
    if result.created:
        return Outcome(CREATED)
    return Outcome(UPDATED if result.changed_fields else UNCHANGED)


def find_duplicates(rows: list[Row]) -> list[dict]:
    """Rows naming someone an earlier row of the file names: they merge into that person."""
    first_seen: dict[str, int] = {}
    duplicates: list[dict] = []
    for row in rows:
        earlier = next((k for k in row.keys if k in first_seen), None)
        if earlier:
            duplicates.append({"row": row.number, "first_row": first_seen[earlier], "key": earlier})
        for key in row.keys:
            first_seen.setdefault(key, row.number)
    return duplicates


def _independent_batches(rows: list[Row], size: int) -> list[list[Row]]:
    """Group rows that can affect each other: rows sharing an email, phone or LinkedIn URL, or
    matching the same existing person, land in the same batch (kept in file order). A dry-run
    batch is rolled back before the next one starts, so only rows within one batch see each
    other's writes; with this grouping that is all the dependence there is, and a large file is
    predicted without one huge transaction holding thousands of advisory locks."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for row in rows:
        anchor = find(f"row {row.number}")
        keys = list(row.keys)
        if row.clean is not None and keys:
            match, _ = candidate_match(row.clean)
            if match is not None:
                keys.append(f"candidate {match.pk}")
        for key in keys:
            parent[find(key)] = anchor
    groups = defaultdict(list)
    for row in rows:
        groups[find(f"row {row.number}")].append(row)
    batches: list[list[Row]] = []
    current: list[Row] = []
    for group in groups.values():  # in order of each group's first row
        if current and len(current) + len(group) > size:
            batches.append(sorted(current, key=lambda r: r.number))
            current = []
        current.extend(group)
    if current:
        batches.append(sorted(current, key=lambda r: r.number))
    return batches


def import_rows(*, job: ImportJob, dry_run: bool) -> Progress:
    """Import (or, with ``dry_run``, predict the import of) the job's rows.

    The run commits every :data:`CHUNK_ROWS` rows together with the job's counts, so a crash
    leaves the committed rows and an exact ``processed_rows``; running it again continues after
    them. A bad row is rejected on its own, with its reasons; it never stops the file.
    """
    parsed = read_job_csv(job)
    columns = job.mapping["columns"]
    labels = _labels(columns, parsed.header)
    rows = [_row(n, cells, columns) for n, cells in parsed.rows]
    actor, label = job.created_by, f"import of {job.original_name}"
    if dry_run:
        progress = Progress.fresh()
        batches = _independent_batches(rows, CHUNK_ROWS)
    else:
        progress = Progress.resumed(job)
        rest = rows[progress.processed :]
        batches = [rest[i : i + CHUNK_ROWS] for i in range(0, len(rest), CHUNK_ROWS)]
    try:
        for batch in batches:
            with transaction.atomic():
                outcomes = [_upsert_row(r, actor=actor, label=label, labels=labels) for r in batch]
                pending = progress.plus(outcomes)
                if dry_run:
                    transaction.set_rollback(True)
                else:
                    pending.save(job)  # the counts commit with the rows they count
            if dry_run:
                pending.save(job)
            progress = pending
    finally:
        if dry_run:  # batches follow groups of related rows, not the file's order
            progress.rejected.sort(key=lambda item: item["row"])
        progress.save(job, force=True)  # as of the last committed batch
    report = {**progress.as_summary(), "total": len(rows), "duplicates": find_duplicates(rows)}
    summary_update(job=job, **{"preview" if dry_run else "result": report})
    return progress


def rejected_rows_csv(job: ImportJob) -> str:
    """The rejected rows as CSV: the original columns, then "row" and "reason"."""
    parsed = read_job_csv(job)
    reasons = {
        item["row"]: "; ".join(
            f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in item["errors"]
        )
        for item in job.rejected_rows or []
    }
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*map(spreadsheet_safe, parsed.header), "row", "reason"])
    for number, cells in parsed.rows:
        if number in reasons:
            writer.writerow(
                [*map(spreadsheet_safe, cells), number, spreadsheet_safe(reasons[number])]
            )
    return "\ufeff" + out.getvalue()  # a BOM so spreadsheet programs read it as UTF-8
