from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from core.forms import FilterForm, bootstrap
from organisations.models import District, Unit

from .models import Option, Question, QuestionKind, Section, Survey

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"},
                                      format="%Y-%m-%dT%H:%M")




class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "title_en", "introduction", "introduction_en", "consent_text", "opens_at", "closes_at",
                  "asks_contact"]
        widgets = {"opens_at": DATETIME_WIDGET, "closes_at": DATETIME_WIDGET,
                   "introduction": forms.Textarea(attrs={"rows": 3}),
                   "introduction_en": forms.Textarea(attrs={"rows": 3}),
                   "consent_text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class SurveyCreateForm(SurveyForm):
    campaign = forms.ModelChoiceField(label=_("campaign"), queryset=Campaign.objects.order_by("-year"))
    slug = forms.SlugField(label=_("short name"), max_length=60)

    class Meta(SurveyForm.Meta):
        fields = ["campaign", "slug", *SurveyForm.Meta.fields]


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title", "title_en"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class QuestionForm(forms.ModelForm):
    options_text = forms.CharField(
        label=_("options"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One option a line; add the English after a vertical bar: 是 | Yes. For a rating scale, "
                    "the labels of its points from the lowest. Pickers fill their options themselves."),
    )

    class Meta:
        model = Question
        fields = ["section", "kind", "text", "text_en", "help_text", "required", "allow_other", "max_choices",
                  "min_value", "max_value", "show_if_option"]

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = survey.sections.all()
        conditions = Option.objects.filter(
            question__survey=survey, question__kind__in=[QuestionKind.SINGLE, QuestionKind.MULTIPLE]
        ).select_related("question").order_by("question__order", "code")
        if self.instance.pk:
            conditions = conditions.filter(question__order__lt=self.instance.order)
        self.fields["show_if_option"].queryset = conditions
        self.fields["show_if_option"].label_from_instance = lambda o: f"{o.question.code} {o.question.text} = {o.label}"
        if self.instance.pk and not self.initial.get("options_text"):
            self.initial["options_text"] = "\n".join(
                f"{o.label} | {o.label_en}" if o.label_en else o.label
                for o in self.instance.options.all() if not o.is_other
            )
        if survey.is_locked:
            # Locked: only the wording may change; the structure fields are shown but not editable.
            for name in ["section", "kind", "required", "allow_other", "max_choices", "min_value", "max_value",
                         "show_if_option"]:
                self.fields[name].disabled = True
        bootstrap(self)

    def options(self) -> list[tuple[str, str]]:
        rows = []
        for line in (self.cleaned_data.get("options_text") or "").splitlines():
            if not line.strip():
                continue
            label, _bar, english = line.partition("|")
            rows.append((label.strip()[:200], english.strip()[:300]))
        return rows


class CopyForm(forms.Form):
    slug = forms.SlugField(label=_("short name of the new version"), max_length=60,
                           widget=forms.TextInput(attrs={"class": "form-control"}))


class HeadcountForm(forms.Form):
    expected_headcount = forms.IntegerField(label=_("expected respondents"), min_value=0, required=False,
                                            widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}))


class CodesForm(forms.Form):
    count = forms.IntegerField(label=_("number of codes"), min_value=1, max_value=1000, initial=20,
                               widget=forms.NumberInput(attrs={"class": "form-control"}))


class CodeEntryForm(forms.Form):
    code = forms.CharField(label=_("answer code"), max_length=16,
                           widget=forms.TextInput(attrs={"class": "form-control form-control-lg",
                                                         "autocomplete": "off", "autocapitalize": "characters"}))


class ResultsFilterForm(FilterForm, forms.Form):
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none(), required=False)
    district = forms.ModelChoiceField(label=_("district"), queryset=District.objects.order_by("order"),
                                      required=False)
    date_from = forms.DateField(label=_("from"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    target = forms.TypedChoiceField(label=_("cross-tabulate"), coerce=int, required=False, empty_value=None)
    by = forms.TypedChoiceField(label=_("by"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, survey: Survey, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            Q(survey_links__survey=survey) | Q(answer_codes__survey=survey)).distinct().order_by("name")
        blank = [("", "—")]
        self.fields["target"].choices = blank + [(q.pk, f"{q.code} {q.text}") for q in questions
                                                 if q.is_choice or q.kind == QuestionKind.SCALE]
        self.fields["by"].choices = blank + [(q.pk, f"{q.code} {q.text}") for q in questions if q.is_grouping]
        for field in self.fields.values():
            field.widget.attrs["class"] = ("form-select form-select-sm" if isinstance(field.widget, forms.Select)
                                           else "form-control form-control-sm")
