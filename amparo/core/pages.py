"""What pages of every app share: showing a service's refusal on the form, and the office
filter of the lists that span offices."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator

from amparo.accounts.selectors import offices_where
from amparo.core.forms import show_refusal
from amparo.core.versioning import StaleEdit

PAGE_SIZE = 50


def query_with(query, **values):
    """The page's query with some parameters set (a download link: `formato=xlsx`), without the
    page number."""
    query = query.copy()
    query.pop("page", None)
    for key, value in values.items():
        query[key] = value
    return query


def paginate(rows, number) -> Page:
    """One page of a list, PAGE_SIZE rows; a missing or out-of-range number gives the nearest
    page rather than an error."""
    return Paginator(rows, PAGE_SIZE).get_page(number)


def refused(form, error: ValidationError, context: dict) -> None:
    """Show a service's refusal; for a stale edit, what changed and the version now stored."""
    if isinstance(error, StaleEdit):
        context["stale_changes"] = error.changes
        form.add_error(None, error.messages[0])
        return
    show_refusal(form, error)


def office_choice(request, permission: str):
    """The offices a list may be filtered by (those where the user may do `permission`) and the
    one chosen in `?oficina=`, or None for all of them (a tampered id is ignored)."""
    offices = offices_where(request.user, permission)
    try:
        chosen = int(request.GET.get("oficina") or 0) or None
    except ValueError:
        chosen = None
    if chosen and not offices.filter(pk=chosen).exists():
        chosen = None
    return offices, chosen


def act_and_tell(request, act, done: str) -> bool:
    """Run `act()` (a service call); say `done` when it went through, or the service's refusal,
    as a message on the next page. For a button that decides one thing (approve, refuse)."""
    from django.contrib import messages

    try:
        act()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, done)
    return True
