from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.core.forms import StyledFormMixin
from amparo.research import choices, statistics

VARIABLES = [
    ("means", _("Means of control (CTDC meansOfControl…)")),
    ("recruitment", _("Relation to the recruiter (recruiterRelation…)")),
    ("labour", _("Sector of labour exploitation (typeOfLabour…)")),
    ("justice", _("Path through justice: proceeding, furthest stage, conviction, civil party, "
                  "reparation")),
]


class StudyForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30,
                           help_text=_("Lower-case letters, digits and hyphens."))
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=choices.Kind.choices)
    question = forms.CharField(label=_("Research question"), widget=forms.Textarea(
        attrs={"rows": 3}))
    starts_on = forms.DateField(label=_("Cases registered from"),
                                widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Cases registered until"),
                              widget=forms.DateInput(attrs={"type": "date"}))
    variables = forms.MultipleChoiceField(
        label=_("Variables requested besides the core (sex, age band, nationality, department "
                "of origin, year, form of exploitation)"), choices=VARIABLES, required=False,
        widget=forms.CheckboxSelectMultiple)
    excerpts_allowed = forms.BooleanField(label=_("Coded excerpts of testimonies"),
                                          required=False)
    professional_notes = forms.BooleanField(
        label=_("Psychological or legal notes may be excerpted, by their own professional"),
        required=False)
    k = forms.IntegerField(label=_("k: the smallest group an export may show"), initial=11,
                           min_value=2)
    epsilon_budget = forms.CharField(label=_("Privacy-loss budget of the study (ε)"),
                                     initial="1")
    members = forms.CharField(label=_("Other researchers on the team (user names, separated by "
                                      "commas)"), required=False)


class DecisionForm(StyledFormMixin, forms.Form):
    decision = forms.CharField(label=_("Written decision"), widget=forms.Textarea(
        attrs={"rows": 3}), help_text=_("It stays with the study, with your name and the date."))


class ReleaseForm(StyledFormMixin, forms.Form):
    by = forms.ChoiceField(label=_("Count people by"), choices=list(
        statistics.DIMENSIONS.items()))
    first_year = forms.IntegerField(label=_("From the year"), min_value=1990)
    last_year = forms.IntegerField(label=_("To the year"), min_value=1990)
    epsilon = forms.CharField(label=_("Privacy loss to spend (ε)"), initial="0.25",
                              help_text=_("Smaller is more private and noisier."))
    mechanism = forms.ChoiceField(label=_("Noise"), choices=choices.Mechanism.choices)


class ThemeForm(StyledFormMixin, forms.Form):
    """A theme of the study's codebook (a sub-theme names one of its top themes)."""

    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Theme"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    parent = forms.ModelChoiceField(label=_("Sub-theme of"), queryset=None, required=False)

    def __init__(self, *args, study, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = study.themes.filter(parent__isnull=True)


class CodingForm(forms.Form):
    """The themes one excerpt is coded with (from the study's codebook)."""

    themes = forms.ModelMultipleChoiceField(queryset=None, required=False)

    def __init__(self, *args, study, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = study.themes.all()
