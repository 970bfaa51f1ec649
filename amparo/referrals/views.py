"""The referrals tab of a case, the office's referrals awaiting an answer, and the
institutions directory."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from amparo.accounts.permissions import can
from amparo.cases.access import case_allows, case_for, list_viewed
from amparo.cases.choices import ConsentScope
from amparo.cases.pages import case_page
from amparo.cases.selectors import consent_state
from amparo.core.decorators import permission_required
from amparo.core.forms import show_refusal
from amparo.core.pages import office_choice, paginate, refused
from amparo.core.views import posted_or_404
from amparo.referrals import choices, forms, selectors, services
from amparo.referrals.models import Institution, Referral


@login_required
def case_referrals(request, code: str):
    case = case_for(request.user, code, "referrals", request=request)
    user = request.user
    action = None
    if request.method == "POST":
        case_for(user, code, "referrals", purpose="edit", request=request)
        action = request.POST.get("action")
        if action not in ("send", "update"):
            raise Http404
    can_override = case_allows(user, case, "referral.consent_override")
    form = forms.ReferralForm(request.POST if action == "send" else None, case=case,
                              can_override=can_override, prefix="referral")
    context = {"form": form, "can_override": can_override, "failed": action}
    if action:
        try:
            if action == "send" and form.is_valid():
                data = form.cleaned_data
                services.referral_send(
                    actor=user, request=request, case=case, institution=data["institution"],
                    purpose=data["purpose"], referred_on=data["referred_on"],
                    shared=data["shared"], reference=data["reference"], note=data["note"],
                    override_reason=data.get("override_reason", ""))
                messages.success(request, _("Referral recorded."))
                return redirect("referrals:case", code=code)
            if action == "update":
                referral = posted_or_404(Referral, request, "referral", case=case)
                update = forms.ReferralUpdateForm(request.POST)
                context.update(update_form=update, update_for=referral.pk)
                form = update
                if update.is_valid():
                    data = update.cleaned_data
                    services.referral_update(
                        actor=user, request=request, case=case, referral=referral,
                        version=data["version"], status=data["status"],
                        status_on=data["status_on"], answer=data["answer"],
                        outcome=data["outcome"])
                    messages.success(request, _("Referral updated."))
                    return redirect("referrals:case", code=code)
        except ValidationError as error:
            refused(form, error, context)
    today = timezone.localdate()
    rows = []
    for r in selectors.referral_list(case):
        rows.append({"referral": r, "note": r.unseal("note"), "answer": r.unseal("answer"),
                     "override": r.unseal("override_reason"),
                     "overdue": r.awaiting and r.answer_due_on and r.answer_due_on < today,
                     "next": sorted(choices.TRANSITIONS[choices.Status(r.status)])})
    context.update(rows=rows, status_labels=dict(choices.Status.choices),
                   shared_labels=dict(choices.Shared.choices),
                   outcome_choices=choices.Outcome.choices,
                   sharing=consent_state(case)[ConsentScope.SHARING])
    return case_page(request, case, "referrals", "referrals/case_referrals.html", context,
                 status=400 if action else 200)


@require_safe
@permission_required("case.view")
def office_referrals(request):
    offices, office_id = office_choice(request, "case.view")
    status = request.GET.get("estado", "")
    if status and status not in choices.Status.values:
        status = ""
    overdue = request.GET.get("sin_respuesta") == "1"
    rows = selectors.office_referrals(request.user, status=status, overdue=overdue,
                                      office_id=office_id)
    page = paginate(rows, request.GET.get("page"))
    list_viewed(request.user, [r.case.code for r in page], request=request, section="referrals")
    return render(request, "referrals/office.html", {
        "page": page, "status": status, "overdue": overdue, "offices": offices,
        "office_id": office_id, "statuses": choices.Status.choices,
        "today": timezone.localdate()})


@require_safe
@permission_required("institution.view")
def institution_list(request):
    form = forms.InstitutionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    department = filters.get("departamento")
    rows = selectors.institution_search(
        q=filters.get("q", ""), department=department.code if department else "",
        purpose=filters.get("servicio", ""), kind=filters.get("tipo", ""),
        active_only=not can(request.user, "institution.manage"))
    page = paginate(rows, request.GET.get("page"))
    return render(request, "referrals/institutions.html", {
        "form": form, "page": page, "manage": can(request.user, "institution.manage"),
        "purposes": dict(choices.Purpose.choices)})


@permission_required("institution.manage")
def institution_edit(request, pk: int | None = None):
    institution = get_object_or_404(Institution, pk=pk) if pk else None
    initial = {}
    if institution is not None:
        initial = {k: getattr(institution, k) for k in services.INSTITUTION_FIELDS}
        initial["place"] = institution.ubigeo
    form = forms.InstitutionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.institution_save(actor=request.user, request=request,
                                      data=form.institution_data(), institution=institution)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Institution saved."))
            return redirect("referrals:institutions")
    return render(request, "referrals/institution_form.html",
                  {"form": form, "institution": institution},
                  status=400 if request.method == "POST" else 200)
