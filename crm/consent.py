"""SHIM: removed at integration (see /work/shims/crm.txt)."""

from crm.selectors.consent import (  # noqa: F401  # SHIM
    Verdict,
    may_contact,
    verdict,
    withdrawn_topics,
    withdrawn_topics_by_person,
)
from crm.services.consent import consent_record  # noqa: F401  # SHIM
