"""Who may see which candidates, by role, without crm knowing the apps that decide it.

crm owns the person record; whether a hiring manager or an interviewer may see a person
depends on applications, which ats owns. ats registers a scope per role in its
``AppConfig.ready`` (the way it registers profile panels, see :mod:`config.core.panels`);
``crm.selectors`` unions the scopes of the roles a user holds.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

# role -> providers; each provider(user) returns a queryset of candidate ids (one column).
CandidateScope = Callable[[object], QuerySet]
_CANDIDATE_SCOPES: dict[str, list[CandidateScope]] = {}


def register_candidate_scope(role: str, provider: CandidateScope) -> CandidateScope:
    """``provider(user)`` returns the ids of the candidates a holder of ``role`` may see
    (e.g. ``Application.objects.filter(job__hiring_manager=user).values("candidate_id")``);
    registering the same provider twice is a no-op."""
    providers = _CANDIDATE_SCOPES.setdefault(role, [])
    if provider not in providers:
        providers.append(provider)
    return provider


def candidate_scopes(user, roles) -> list[QuerySet]:
    """The id querysets that the scopes registered for ``roles`` give ``user``."""
    return [provider(user) for role in roles for provider in _CANDIDATE_SCOPES.get(role, [])]
