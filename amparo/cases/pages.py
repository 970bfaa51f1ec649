"""What every tab of the case file shares, whichever app draws it (cases, legal, monitoring,
referrals): the tabs the user may open, the intake steps, and the POST half of a tab. Pages are
thin: every case comes from `case_for` (scope, section, audit), every write goes to a service,
and the page is re-rendered with the service's message when it refuses."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from amparo.cases.access import EDIT_PERMISSIONS, SECTIONS, case_allows, case_for
from amparo.core.forms import show_refusal

TABS = (
    ("summary", "cases:case", gettext_lazy("Summary")),
    ("alerts", "monitoring:case", gettext_lazy("Alerts")),
    ("identity", "cases:identity", gettext_lazy("Identity")),
    ("episodes", "cases:episodes", gettext_lazy("What happened")),
    ("consents", "cases:consents", gettext_lazy("Consent")),
    ("assessments", "cases:assessments", gettext_lazy("Assessments")),
    ("plan", "cases:plan", gettext_lazy("Plan")),
    ("services", "cases:services", gettext_lazy("Services")),
    ("follow_ups", "cases:follow_ups", gettext_lazy("Follow-up")),
    ("risk", "monitoring:risk", gettext_lazy("Risk")),
    ("notes", "cases:notes", gettext_lazy("Notes")),
    ("documents", "cases:documents", gettext_lazy("Documents")),
    ("legal", "legal:case", gettext_lazy("Criminal case")),
    ("referrals", "referrals:case", gettext_lazy("Referrals")),
    ("timeline", "cases:timeline", gettext_lazy("Timeline")),
    ("accesses", "cases:accesses", gettext_lazy("Accesses")),
)
INTAKE_STEPS = (
    ("summary", gettext_lazy("Person and case")),
    ("episodes", gettext_lazy("What happened")),
    ("consents", gettext_lazy("Consent")),
)


def case_page(request, case, section: str, template: str, context: dict, status: int = 200):
    """A tab of the case file: the tabs this user may open and whether she may edit here."""
    user = request.user
    tabs = [
        {"section": s, "label": label, "url": reverse(url, args=[case.code]),
         "current": s == section}
        for s, url, label in TABS
        if case_allows(user, case, SECTIONS[s])
    ]
    edit_permission = EDIT_PERMISSIONS.get(section, "case.edit")
    editable = case_allows(user, case, edit_permission) and not case.is_closed
    context = {"case": case, "section": section, "tabs": tabs, "editable": editable,
               "intake_step": _intake_step(request, section), **context}
    return render(request, template, context, status=status)


def _intake_step(request, section: str):
    if request.GET.get("registro") != "1":
        return None
    names = [s for s, _label in INTAKE_STEPS]
    if section not in names:
        return None
    index = names.index(section)
    following = names[index + 1] if index + 1 < len(names) else None
    return {"steps": INTAKE_STEPS, "index": index, "number": index + 1,
            "next": TABS_BY_SECTION.get(following)}


TABS_BY_SECTION = {s: url for s, url, _label in TABS}


def back_to(request, url_name: str, code: str) -> str:
    url = reverse(url_name, args=[code])
    return url + "?registro=1" if request.GET.get("registro") == "1" else url


def record_tab(request, code: str, section: str, form, write, done: str):
    """The POST half of a tab: check the right to edit, validate, call the service. Returns the
    redirect after a save, or None to show the form again with what is wrong."""
    case_for(request.user, code, section, purpose="edit", request=request)
    if not form.is_valid():
        return None
    try:
        write(form.cleaned_data)
    except ValidationError as error:
        show_refusal(form, error)
        return None
    messages.success(request, done)
    return redirect(back_to(request, TABS_BY_SECTION[section], code))


def refresh_version(form, record) -> None:
    """After a stale edit, the form carries the stored version: saving again is a deliberate
    choice made after seeing what changed."""
    record.refresh_from_db(fields=["version"])
    form.data = form.data.copy()
    form.data["version"] = record.version
