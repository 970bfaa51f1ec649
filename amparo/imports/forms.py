from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.core.forms import StyledFormMixin
from amparo.core.workbook import upload_check


class UploadForm(StyledFormMixin, forms.Form):
    office = forms.ChoiceField(label=_("Office the workbook belongs to"))
    file = forms.FileField(label=_("Workbook (.xlsx) or CSV file"),
                           help_text=_("Up to 20 MB. It is kept encrypted until it is imported."))

    def __init__(self, *args, offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [(o.code, o.name) for o in offices]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        upload_check(upload, split_hint=_("split it by year or by sheet"))
        return upload


class ListUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Attendance list (.xlsx or .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        upload_check(upload, split_hint=_("split it by sheet"))
        return upload


class MappingForm(StyledFormMixin, forms.Form):
    mapping = forms.CharField(label=_("Mapping (YAML)"), widget=forms.Textarea(attrs={
        "rows": 24, "spellcheck": "false", "class": "form-control font-monospace small"}),
        help_text=_("Check each line marked REVISAR or SIN DECIDIR; docs/import.md explains "
                    "every field."))
    partial = forms.BooleanField(label=_("Import the valid rows even if others are rejected"),
                                 required=False)

    def clean_mapping(self):
        # Browsers send a textarea's lines ending in CR LF; the dry run and the import must
        # compare the same text.
        return self.cleaned_data["mapping"].replace("\r\n", "\n")


class UndoForm(StyledFormMixin, forms.Form):
    confirm = forms.BooleanField(label=_("I understand that every case this import created is "
                                         "deleted and every update it made is reverted."))

    def __init__(self, *args, target: str = "casos", **kwargs):
        super().__init__(*args, **kwargs)
        if target == "asistencia":
            self.fields["confirm"].label = _(
                "I understand that the attendance this import recorded is taken back (the "
                "people stay: they may be on other lists).")
