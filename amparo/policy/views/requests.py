"""Information requests under Ley 27806: the register, one request, its documents."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from amparo.accounts.permissions import can
from amparo.audit.services import section_event
from amparo.core.decorators import permission_required
from amparo.core.pages import FormsPage, paginate, query_with, refused
from amparo.core.sheets import xlsx_response
from amparo.policy import choices, forms, selectors, services
from amparo.policy.views.common import _edition


@permission_required("policy.view")
def request_list(request):
    edition = _edition(request)
    state = request.GET.get("estado") or ""
    if state not in choices.RequestState.values:
        state = ""
    rows = selectors.requests_register(edition=edition, state=state)
    manage = can(request.user, "policy.manage")
    form = forms.RequestForm(request.POST or None, edition=edition) if (
        manage and edition) else None
    context = {"edition": edition, "state": state, "states": choices.RequestState.choices,
               "form": form, "can_manage": manage, "editions": selectors.editions()}
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                made = services.request_create(actor=request.user, request=request,
                                               edition=edition, data=data,
                                               services=data.pop("services"))
            except ValidationError as error:
                refused(form, error, context)
            else:
                messages.success(request, _("Request %(code)s registered; it is due on "
                                            "%(due)s.") % {
                    "code": made.code, "due": made.due_on.strftime("%d/%m/%Y")})
                return redirect("policy:request", code=made.code)
    if request.GET.get("formato") == "xlsx":
        section_event(request, "policy", "policy_request",
                      reason="request register", action="export")
        return xlsx_response("solicitudes.xlsx", [(_("Information requests"), [
            _("Code"), _("Entity"), _("Filed"), _("Deadline"), _("Outcome"), _("Days late"),
            _("The answer was"), _("Reminders")], [
            [r.code, str(r.entity), r.sent_on, r.deadline,
             str(choices.RequestState(r.state).label), r.days_late,
             r.get_completeness_display(), len(r.reminders.all())] for r in rows])])
    context["page"] = paginate(rows, request.GET.get("page"))
    context["export"] = query_with(request.GET, formato="xlsx")
    section_event(request, "policy", "policy_request", reason="request register")
    return render(request, "policy/request_list.html", context,
                  status=400 if request.method == "POST" else 200)


@permission_required("policy.view")
def request_detail(request, code: str):
    record = selectors.request_for(code)
    manage = can(request.user, "policy.manage")
    page = FormsPage(request, ("answer", "reminder", "document"), allowed=manage)
    context = {
        "record": record, "can_manage": manage,
        "state_label": choices.RequestState(selectors.request_state(record)).label,
        "failed": page.action,
        "answer_form": forms.AnswerForm(page.data("answer"), prefix="a", initial={
            "extended_to": record.extended_to, "answered_on": record.answered_on,
            "completeness": record.completeness, "answer_summary": record.answer_summary,
            "version": record.version}),
        "reminder_form": forms.ReminderForm(page.data("reminder"), prefix="r"),
        "document_form": forms.AnswerDocumentForm(page.data("document"), page.files("document"),
                                                  prefix="d"),
    }
    if page.action:
        done = page.submit(context[f"{page.action}_form"],
                           _request_saves(request, record)[page.action], context)
        if done:
            return page.done(done, reverse("policy:request", args=[code]))
    context["services"] = list(record.services.all())
    context["reminders"] = list(record.reminders.all())
    context["documents"] = list(record.documents.all())
    section_event(request, "policy", "policy_request", record.code)
    return render(request, "policy/request.html", context, status=page.status)


def _request_saves(request, record) -> dict:
    """What each of the request page's forms saves (one service call) and says."""
    common = {"actor": request.user, "request": request, "record": record}

    def answer(data):
        version = data.pop("version")
        services.request_update(**common, data=data, version=version)
        return _("Request updated.")

    def reminder(data):
        services.reminder_add(**common, sent_on=data["sent_on"], note=data["note"])
        return _("Reminder recorded.")

    def document(data):
        services.answer_document_add(**common, title=data["title"],
                                     content=data["file"].read(), sealed=data["sealed"])
        return _("Document kept.")

    return {"answer": answer, "reminder": reminder, "document": document}


@require_safe
@permission_required("policy.view")
def request_document(request, code: str, pk):
    document = selectors.answer_document_for(code, pk)
    content = services.answer_document_open(actor=request.user, request=request,
                                            document=document)
    response = HttpResponse(content, content_type=document.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{document.request.code}-{str(document.pk)[:8]}.'
        f'{document.extension}"')
    return response
