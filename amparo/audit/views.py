from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from amparo.audit.models import Action
from amparo.audit.selectors import event_list
from amparo.core.decorators import permission_required
from amparo.core.forms import StyledFormMixin
from amparo.core.pages import paginate


class EventFilterForm(StyledFormMixin, forms.Form):
    actor = forms.CharField(label=_("User"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False,
                               choices=[("", _("All actions"))] + list(Action.choices))
    object_type = forms.CharField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object"), required=False)
    since = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))


@permission_required("audit.view")
def events(request):
    filters = EventFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    found = event_list(fetched_by=request.user, **criteria)
    page = paginate(found, request.GET.get("page"))
    template = "audit/_event_rows.html" if request.htmx else "audit/events.html"
    return render(request, template, {"filters": filters, "page": page})
