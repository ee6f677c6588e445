"""SHIM: removed at integration (see /work/shims/crm.txt)."""

from crm.api.serializers import (  # noqa: F401  # SHIM
    ErrorOutputSerializer,
    UserRefOutputSerializer,
)
