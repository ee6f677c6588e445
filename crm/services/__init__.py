"""crm's writes, one module per concept: ``candidates`` (intake, edits, tags, do-not-contact,
owner), ``timeline`` (every touch, notes, last activity), ``merge``, ``imports`` (with
``imports_common``, ``imports_csv`` and ``imports_zip``), ``resumes``, ``consent`` and
``saved_searches``; ``errors`` holds the input error they share. Import the concept module."""
