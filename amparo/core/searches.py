"""Name and document searches stay out of addresses. A search is posted; its text is kept in
the session under a random token, and the list is shown at `?busqueda=<token>`: the browser's
history, the web server's access log and any proxy see the token, never "Rosa Quispe" or a
DNI. Tokens live as long as the session (it ends after 30 idle minutes)."""

from __future__ import annotations

import secrets

from django.http import QueryDict

TOKEN = "busqueda"
_KEY = "amparo_searches"
_KEEP = 20  # the last searches of a session; older tokens show the list unfiltered


def search_keep(request, text: str) -> str:
    """Keep `text` in the session; the token that names it."""
    kept = dict(request.session.get(_KEY, {}))
    for token, earlier in kept.items():
        if earlier == text:
            return token
    token = secrets.token_urlsafe(9)
    kept[token] = text
    request.session[_KEY] = dict(list(kept.items())[-_KEEP:])
    return token


def search_text(request, token: str) -> str | None:
    """The text a token names in this session, or None (unknown, or from another session)."""
    return request.session.get(_KEY, {}).get(token) if token else None


def without_search(data: QueryDict, request, field: str = "q") -> tuple[QueryDict, str | None]:
    """`data` (posted or in the address) with its search `field` swapped for a token: the
    query string to show, and the token (None when there was no search)."""
    clean = data.copy()
    for name in ("csrfmiddlewaretoken", field, TOKEN):
        clean.pop(name, None)
    text = (data.get(field) or "").strip()
    token = search_keep(request, text) if text else None
    if token:
        clean[TOKEN] = token
    return clean, token


def with_search(data: QueryDict, request, field: str = "q") -> tuple[QueryDict, bool]:
    """The address's filters with the search text a token names put back in `field`; and
    whether a token was given but is no longer known (the session ended)."""
    token = data.get(TOKEN, "")
    text = search_text(request, token)
    full = data.copy()
    full.pop(TOKEN, None)
    if text:
        full[field] = text
    return full, bool(token) and text is None
