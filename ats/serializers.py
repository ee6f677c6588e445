from ats.api.serializers import (  # noqa: F401  # SHIM: removed at integration
    CandidateRefOutputSerializer,
    PlainChoiceField,
)
