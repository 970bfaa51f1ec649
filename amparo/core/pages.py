"""What pages of every app share: showing a service's refusal on the form, and the office
filter of the lists that span offices."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404

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


def paginate(rows, number, size: int | None = None) -> Page:
    """One page of a list, `size` rows (PAGE_SIZE by default); a missing or out-of-range
    number gives the nearest page rather than an error."""
    return Paginator(rows, size or PAGE_SIZE).get_page(number)


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


class FormsPage:
    """The one pattern for a page with several forms (a record and what is added to it).

    The POST names its form in `action`; only that form is bound (`data(name)`,
    `files(name)`), the others are drawn empty. `submit(form, save, context)` validates it and
    runs `save(cleaned_data)`, one service call that returns the message to show; a service's
    refusal is shown on the form and nothing is saved. A button with no form (submit, close)
    passes `form=None`; its refusal is shown as a message. An action the page does not have, or
    one the user may not take, is a 404."""

    def __init__(self, request, actions, *, allowed: bool = True):
        self.request = request
        self.action = request.POST.get("action") if request.method == "POST" else None
        if self.action is not None and (self.action not in actions or not allowed):
            raise Http404

    def data(self, name: str):
        return self.request.POST if self.action == name else None

    def files(self, name: str):
        return self.request.FILES if self.action == name else None

    @property
    def status(self) -> int:
        """400 when the page is drawn again after a refused POST."""
        return 400 if self.action else 200

    def submit(self, form, save, context: dict) -> str | None:
        if form is not None and not form.is_valid():
            return None
        try:
            return save(dict(form.cleaned_data) if form is not None else {})
        except ValidationError as error:
            if form is None:
                from django.contrib import messages

                messages.error(self.request, " ".join(error.messages))
            else:
                refused(form, error, context)
            return None

    def done(self, message: str, url: str):
        """After a save: say so and go back to the page (a GET, so a reload posts nothing)."""
        from django.contrib import messages
        from django.shortcuts import redirect

        messages.success(self.request, message)
        return redirect(url)
