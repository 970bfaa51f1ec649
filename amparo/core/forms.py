from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting

# A date picker that sends ISO dates, and the empty choice of a select, for every app's forms.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BLANK = [("", "—")]


class FormRenderer(TemplatesSetting):
    """Bootstrap markup for every form: labels, help and errors tied to their inputs."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"


WIDGET_CLASSES = {
    "select": "form-select",
    "selectmultiple": "form-select",
    "checkbox": "form-check-input",
    "checkboxselectmultiple": "",
    "radioselect": "",
}


def style(fields, *, small: bool = False) -> None:
    """Bootstrap's classes on the widgets (`small`: the compact size, for dense tables)."""
    for field in fields:
        kind = field.widget.__class__.__name__.lower().removesuffix("input")
        css = WIDGET_CLASSES.get(kind, "form-control")
        if css and small and css in ("form-control", "form-select"):
            css += f" {css}-sm"
        if css and not getattr(field.widget, "use_fieldset", False):
            field.widget.attrs.setdefault("class", css)


class StyledFormMixin:
    """Adds Bootstrap's classes to the widgets, so that templates stay free of markup logic."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self.fields.values())


def show_refusal(form, error: ValidationError) -> None:
    """Show a service's refusal on the form, on its field when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def errors_said(form) -> str:
    """A refused form's errors as one sentence, for a message above a table of row forms."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)
