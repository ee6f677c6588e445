"""SHIM: removed at integration (see /work/shims/crm.txt): ``crm.search`` is
``crm.selectors.search``."""

from crm.selectors.search import *  # noqa: F403  # SHIM
from crm.selectors.search import __all__  # noqa: F401  # SHIM
