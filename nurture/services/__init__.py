"""Writes of the nurture engine, one module per concept: ``sequences`` (sequences, steps, the
built-in ones), ``enrollments`` (enroll, pause, resume, stop, complete), ``dispatch`` and
``sending`` (the two phases of the dispatcher), ``tracking`` (opens, clicks, unsubscribes),
``inbound`` (replies and bounces), ``tasks_alerts``, ``automation`` (domain events) and ``bulk``
(one UPDATE for many rows). Callers import the concept module; nothing is re-exported here."""
