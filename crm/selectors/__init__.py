"""crm's reads, one module per concept: ``candidates`` (visibility, the profile, the
timeline), ``search`` (the search page), ``merge``, ``imports``, ``resumes``, ``consent`` and
``saved_searches``. Every read a user can trigger takes the user and returns only what they may
see. Import the concept module."""

# SHIM: removed at integration (the old ``crm.selectors`` names other apps still import).
from .candidates import (  # noqa: F401  # SHIM
    candidate_get_for_user,
    candidate_survivor,
    candidates_visible_to,
)
