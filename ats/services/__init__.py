"""Writes of the ATS, one module per concept: ``applications`` (create, move, reject, withdraw,
review, bulk, and the emails they queue), ``jobs`` (jobs, their stages and questions) and
``careers`` (an application from the public career site). Callers import the concept module."""
