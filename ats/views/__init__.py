"""The ATS pages, one module per concept: ``jobs`` (list, new, edit, status), ``pipeline``
(stages and apply-form questions), ``board``, ``review`` (the hiring manager's inbox),
``applications`` (the profile's add/move/reject), ``profile`` (the profile's applications
panel), ``interviews``, and the public ``careers`` pages and ``feeds``. Views parse input, call
a service or selector, and render; every view states its permission."""
