from ats.services.jobs import job_create  # noqa: F401  # SHIM: removed at integration
