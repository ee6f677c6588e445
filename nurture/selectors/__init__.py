"""Reads of the nurture engine, one module per concept: ``sequences``, ``stats`` (message counts
for the screens), ``preview``, ``enrollments``, ``candidates`` (whom to enroll or preview),
``messages``, ``inbound`` and ``tasks_alerts``. Every read a user can trigger starts from what
that user may see (``*_visible_to(user)`` / ``*_get_for_user``)."""
