"""crm's reads, one module per concept: ``candidates`` (visibility, the profile, the
timeline), ``search`` (the search page), ``merge``, ``imports``, ``resumes``, ``consent`` and
``saved_searches``. Every read a user can trigger takes the user and returns only what they may
see. Import the concept module."""
