"""crm's pages, one module per concept: ``search``, ``profile``, ``resumes`` (with the
``resume_panel`` context), ``imports``, ``merge`` and ``pools``. Routes: crm/urls.py."""
