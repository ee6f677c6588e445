"""The nurture engine's pages, one module per concept: ``sequences`` (sequences, steps,
preview), ``enrollments`` (a sequence's people, enrolling one or many), ``tasks``, ``inbound``,
``alerts``, ``public`` (the links in our messages and the inbound-mail webhook) and ``profile``
(the card on crm's candidate profile).

Every recruiter view states its permission with ``role_required(Role.RECRUITER)`` (others get
403, anonymous users the login page) and resolves objects through :mod:`nurture.selectors`
(``load=``), so what the user may not see is a 404. Every form is a plain POST answered with a
redirect and works without JavaScript; with htmx the same URL answers with the named partial of
the page's template."""
