"""crm's writes, one module per concept: ``candidates`` (intake, edits, tags, do-not-contact,
owner), ``timeline`` (every touch, notes, last activity), ``merge``, ``imports`` (with
``imports_common``, ``imports_csv`` and ``imports_zip``), ``resumes``, ``consent`` and
``saved_searches``; ``errors`` holds the input error they share. Import the concept module."""

# SHIM: removed at integration (the old ``crm.services`` names other apps still import).
from .candidates import (  # noqa: F401  # SHIM
    PUBLIC_ORIGINS,
    SCALAR_FIELDS,
    CleanInput,
    UpsertResult,
    candidate_match,
    candidate_set_do_not_contact,
    candidate_update,
    candidate_upsert,
    candidates_tag,
    clean_input,
    edit_record,
    refresh_skill_fields,
)
from .errors import CandidateInputError  # noqa: F401  # SHIM
from .timeline import note_add, timeline_add, timeline_add_many  # noqa: F401  # SHIM
