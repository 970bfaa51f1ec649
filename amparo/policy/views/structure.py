"""The watchdog's summary and the policy's structure (objectives, guidelines, indicators)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.accounts.permissions import can
from amparo.audit.services import section_event
from amparo.core.decorators import permission_required
from amparo.core.pages import refused
from amparo.policy import forms, report, selectors, services
from amparo.policy.views.common import _edition


@permission_required("policy.view")
def dashboard(request):
    edition = _edition(request)
    context = {"edition": edition, "editions": selectors.editions(),
               "can_manage": can(request.user, "policy.manage"),
               "instruments": selectors.instruments_exist()}
    if edition is not None:
        summary = selectors.summary(edition)
        context.update(summary=summary, charts=[
            report.budget_chart(summary), report.requests_chart(summary),
            report.instruments_map(summary)])
    section_event(request, "policy", "policy_edition", getattr(edition, "code", ""))
    return render(request, "policy/dashboard.html", context)


@require_POST
@permission_required("policy.manage")
def structure_load(request):
    loaded = services.structure_load_shipped(actor=request.user, request=request)
    messages.success(request, _("The policy's structure is loaded: %(n)s records added, "
                                "%(kept)s kept as they were.") % {
        "n": sum(x.created for x in loaded), "kept": sum(x.kept for x in loaded)})
    return redirect("policy:dashboard")


@permission_required("policy.view")
def structure(request):
    """The policy's objectives, guidelines and indicators; `?editar=lineamiento-7` or
    `indicador-3` (or `indicador-nuevo`) opens one to complete or correct."""
    edition = _edition(request)
    instrument = edition.instrument if edition else selectors.instrument_latest()
    if instrument is None:
        return redirect("policy:dashboard")
    manage = can(request.user, "policy.manage")
    editing = (request.GET.get("editar") or "") if manage else ""
    kind, _sep, key = editing.partition("-")
    form, target = None, None
    if kind == "lineamiento":
        target = selectors.guideline_for(instrument, _int(key))
        form = forms.GuidelineForm(request.POST or None, initial={
            "text": target.text, "known": target.known})
    elif kind == "indicador":
        target = None if key == "nuevo" else selectors.indicator_for(instrument, _int(key))
        initial = {f: getattr(target, f) for f in (
            "objective", "service", "name", "unit", "baseline_year", "baseline", "targets",
            "known")} if target else {}
        form = forms.IndicatorForm(request.POST or None, instrument=instrument, initial=initial)
    elif request.method == "POST":
        raise Http404
    context = {"instrument": instrument, "edition": edition, "form": form, "kind": kind,
               "target": target, "can_manage": manage, "editing": editing}
    if request.method == "POST" and form is not None and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if kind == "lineamiento":
                services.guideline_save(actor=request.user, request=request, guideline=target,
                                        text=data["text"], known=data["known"])
            else:
                data["targets"] = services.targets_parse(data["targets"])
                services.indicator_save(actor=request.user, request=request, data=data,
                                        indicator=target)
        except ValidationError as error:
            refused(form, error, context)
        else:
            messages.success(request, _("Saved; the earlier text stays in its history."))
            return redirect(reverse("policy:structure") + (
                f"?edicion={edition.code}" if edition else ""))
    context["objectives"] = selectors.structure_of(instrument)
    section_event(request, "policy", "policy_structure", instrument.code)
    return render(request, "policy/structure.html", context,
                  status=400 if request.method == "POST" else 200)


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise Http404 from None
