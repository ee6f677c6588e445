from nurture.services.dispatch import schedule_due  # noqa: F401 - SHIM: removed at integration
from nurture.services.sending import send_queued  # noqa: F401 - SHIM: removed at integration
