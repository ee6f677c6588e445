"""Forms of the ATS pages, one module per page group: ``jobs`` (a job, its stages and
questions), ``board``, ``applications`` (add to a job) and ``careers`` (the public site).
Querysets come from selectors."""
