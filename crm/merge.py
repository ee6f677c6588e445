"""SHIM: removed at integration (see /work/shims/crm.txt)."""

from crm.selectors.merge import (  # noqa: F401  # SHIM
    DuplicatePair,
    duplicate_pairs,
    merge_is_undoable,
    merge_records_visible_to,
    parse_cursor,
)
from crm.services.merge import (  # noqa: F401  # SHIM
    CHOICE_GROUPS,
    GROUP_KEYS,
    MergeError,
    candidate_merge,
    candidate_relations,
    duplicate_dismiss,
    merge_field_choices,
    merge_forced_choices,
    merge_undo,
    snapshot,
)
