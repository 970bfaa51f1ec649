import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.core.forms import StyledFormMixin
from amparo.core.workbook import upload_check
from amparo.linkage.models import Decision, ReportStatus, Source

SETTABLE = [(s, label) for s, label in ReportStatus.choices if s != ReportStatus.LINKED]


def uuid_or_none(text):
    try:
        return uuid.UUID(str(text))
    except ValueError:
        return None


class ReportsForm(StyledFormMixin, forms.Form):
    source = forms.ChoiceField(label=_("Where the reports come from"), choices=Source.choices,
                               help_text=_("A 'source' column in the file, when present, says "
                                           "it row by row."))
    file = forms.FileField(
        label=_("Reports (.xlsx or .csv)"),
        help_text=_("Columns: report_number, given_names, paternal_surname, maternal_surname, "
                    "sex (F/M), birth_date, age, document_type, document_number, department, "
                    "district, missing_on (dates as YYYY-MM-DD)."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        upload_check(upload, split_hint=_("split it by month"))
        return upload


class DecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices,
                                 widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("What you checked; required for 'different people'."))
    override_reason = forms.CharField(
        label=_("Reason to link without consent for sharing (coordinators only)"),
        required=False, widget=forms.Textarea(attrs={"rows": 2}))
