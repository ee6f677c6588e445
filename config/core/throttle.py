"""Failed-login throttling, counted in the cache (Redis outside tests) so every web worker agrees.

After ``LOGIN_FAILURE_LIMIT`` failures for one username from one address within
``LOGIN_FAILURE_WINDOW`` seconds, further attempts are refused without checking the password
until the window passes. A successful login clears the count.
"""

from django.conf import settings
from django.core.cache import cache


def _key(username: str, address: str) -> str:
    return f"login-failures:{username.strip().lower()}:{address}"


def client_address(request) -> str:
    # Behind the production proxy REMOTE_ADDR is the proxy; the proxy's own limits apply there.
    return request.META.get("REMOTE_ADDR", "")


def login_blocked(username: str, address: str) -> bool:
    return (cache.get(_key(username, address)) or 0) >= settings.LOGIN_FAILURE_LIMIT


def count_hit(key: str, window_seconds: int) -> int:
    """Add one to the counter ``key`` (which lives ``window_seconds`` from its first hit) and
    return the new count; shared by every web worker through the cache."""
    if cache.add(key, 1, timeout=window_seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        return 1


def login_failed(username: str, address: str) -> None:
    count_hit(_key(username, address), settings.LOGIN_FAILURE_WINDOW)


def login_succeeded(username: str, address: str) -> None:
    cache.delete(_key(username, address))
