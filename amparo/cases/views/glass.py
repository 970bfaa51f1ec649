"""Breaking the glass: the emergency access form (with a fresh second factor), and the log a
supervisor reviews."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amparo.accounts.fresh import fresh_second_factor
from amparo.cases import selectors
from amparo.cases.services import glass as services
from amparo.core.decorators import permission_required
from amparo.core.forms import StyledFormMixin, show_refusal
from amparo.core.views import posted_or_404

HOURS = [(1, gettext_lazy("1 hour")), (2, gettext_lazy("2 hours")),
         (4, gettext_lazy("4 hours")), (8, gettext_lazy("8 hours")),
         (12, gettext_lazy("12 hours"))]


class GlassForm(StyledFormMixin, django_forms.Form):
    code = django_forms.CharField(label=gettext_lazy("Case code"), max_length=20,
                                  help_text=gettext_lazy("For example LIM-2024-0012."))
    reason = django_forms.CharField(
        label=gettext_lazy("Why you need it now"), max_length=2000,
        widget=django_forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The office's coordinators and the direction read it. It is "
                               "kept sealed."))
    hours = django_forms.TypedChoiceField(label=gettext_lazy("For how long"), choices=HOURS,
                                          coerce=int, initial=4)


@permission_required("case.break_glass")
@fresh_second_factor(when=lambda request: request.POST.get("action") == "break")
def glass_open(request):
    user = request.user
    form = GlassForm(request.POST if request.POST.get("action") == "break" else None)
    if request.method == "POST" and request.POST.get("action") == "end":
        glass = posted_or_404(selectors.glass_of(user),
                              request, "glass")
        services.glass_end(actor=user, request=request, glass=glass)
        messages.success(request, _("Emergency access to %(code)s ended.")
                         % {"code": glass.case.code})
        return redirect("cases:glass")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            glass = services.glass_break(actor=user, request=request, code=data["code"],
                                         reason=data["reason"], hours=data["hours"])
        except ValidationError as error:
            show_refusal(form, error)
        else:  # the case page's banner says until when, and what she may do
            return redirect("cases:case", glass.case.code)
    mine = list(selectors.glass_of(user)[:20])
    return render(request, "cases/glass.html", {
        "form": form, "mine": mine, "now": timezone.now()})


@permission_required("supervision.view")
def glass_log(request):
    user = request.user
    if request.method == "POST":
        glass = posted_or_404(services.glass_visible(user).select_related(
            "case__office", "case__data_key"), request, "glass")
        try:
            services.glass_review(actor=user, request=request, glass=glass,
                                  note=request.POST.get("note", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Review recorded."))
        return redirect("cases:glass_log")
    rows = services.glass_history(list(services.glass_visible(user).select_related(
        "case__office", "user", "reviewed_by", "data_key")[:200]))
    return render(request, "cases/glass_log.html", {
        "rows": rows, "now": timezone.now(), "me": user,
        "history_days": services.HISTORY_DAYS})
