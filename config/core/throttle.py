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


def login_failed(username: str, address: str) -> None:
    key = _key(username, address)
    if cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW)


def login_succeeded(username: str, address: str) -> None:
    cache.delete(_key(username, address))
