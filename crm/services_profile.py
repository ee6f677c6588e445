"""SHIM: removed at integration (see /work/shims/crm.txt)."""

from crm.services.candidates import KEEP, candidate_assign  # noqa: F401  # SHIM
from crm.services.resumes import resume_attach  # noqa: F401  # SHIM
