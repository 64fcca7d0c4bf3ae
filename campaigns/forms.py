"""The organisers' forms for a campaign. They parse and show errors; the rules live in services."""

from django import forms
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from core.forms import bootstrap
from organisations.models import Office, level_unit_type_choices

from .models import ActivityForm, Campaign, CampaignContact, Category
from .services import CAMPAIGN_FIELDS, FormRow, campaign_dates_errors


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "form-control", **(attrs or {})}, format="%Y-%m-%d")




class CampaignForm(forms.ModelForm):
    """The campaign's facts as its notice states them."""

    class Meta:
        model = Campaign
        fields = CAMPAIGN_FIELDS
        widgets = {
            "issuers": forms.Textarea(attrs={"rows": 2}),
            "issuers_en": forms.Textarea(attrs={"rows": 2}),
            "introduction": forms.Textarea(attrs={"rows": 4}),
            "introduction_en": forms.Textarea(attrs={"rows": 4}),
            "issue_date": DateInput(),
            "key_day": DateInput(),
            "window_start": DateInput(),
            "window_end": DateInput(),
            "summary_deadline": DateInput(),
            "service_opens_on": DateInput(),
            "survey_opens_on": DateInput(),
        }
        labels = {"slug": _("Short name (used in web addresses)")}
        help_texts = {
            "slug": _("Lower-case letters, digits and hyphens, e.g. qingdao-2023."),
            "summary_deadline": _("On or after the key day and no later than the end of the window."),
        }
        error_messages = {"slug": {"unique": _("A campaign with this short name already exists; choose another.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean(self):
        data = super().clean()
        errors = campaign_dates_errors(
            year=data.get("year"), key_day=data.get("key_day"), window_start=data.get("window_start"),
            window_end=data.get("window_end"), summary_deadline=data.get("summary_deadline"),
            issue_date=data.get("issue_date"), service_opens_on=data.get("service_opens_on"),
            survey_opens_on=data.get("survey_opens_on"),
        )
        for field, messages in errors.items():
            for message in messages:
                self.add_error(field, message)
        return data

    def _post_clean(self):
        # The service saves; the form only checks. Skip the model's own full_clean (which would
        # repeat the window rule with the constraint's technical message) and keep the uniqueness check.
        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
        try:
            self.validate_unique()
        except forms.ValidationError as exc:
            self._update_errors(exc)


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name", "name_en", "description", "description_en"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "description_en": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ActivityFormRowForm(forms.Form):
    """One activity form of a category in the category page's table."""

    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Form name"), max_length=50, required=False)
    name_en = forms.CharField(label=_("English name"), max_length=100, required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, required=False)
    delete = forms.BooleanField(label=_("Remove"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "name_en", "order"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"
        self.fields["delete"].widget.attrs["class"] = "form-check-input"


ActivityFormRowFormSet = forms.formset_factory(ActivityFormRowForm, extra=3, max_num=100, absolute_max=100)


def activity_form_initial(category: Category) -> list[dict]:
    return [{"pk": f.pk, "name": f.name, "name_en": f.name_en, "order": f.order}
            for f in ActivityForm.objects.filter(category=category).order_by("order", "id")]


def formset_rows(formset) -> list[FormRow]:
    rows = []
    for position, form in enumerate(formset.forms, start=1):
        data = form.cleaned_data
        if not data or (data.get("pk") is None and not (data.get("name") or "").strip()):
            continue
        order = data.get("order")
        rows.append(FormRow(pk=data.get("pk"), name=data.get("name") or "", name_en=data.get("name_en") or "",
                            order=order if order is not None else 900 + position,
                            delete=bool(data.get("delete")) or not (data.get("name") or "").strip()))
    return rows


class RoutingForm(forms.Form):
    """One receiving office per unit type."""

    def __init__(self, *args, campaign: Campaign, **kwargs):
        current = {r.unit_type: r.office_id for r in campaign.routing_rules.all()}
        super().__init__(*args, **kwargs)
        offices = Office.objects.order_by("id")
        for value, label in level_unit_type_choices():
            self.fields[value] = forms.ModelChoiceField(
                label=label, queryset=offices, initial=current.get(value), required=True,
                empty_label=_("— choose an office —"),
                error_messages={"required": _("Choose the office that receives this unit type's summaries.")},
            )
        bootstrap(self)


class ContactForm(forms.ModelForm):
    class Meta:
        model = CampaignContact
        fields = ["office", "person", "phone", "email", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        bootstrap(self)

    def _post_clean(self):
        pass  # the service validates and saves


class CopyNextYearForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year of the new campaign"), min_value=2000, max_value=2100, required=False,
        help_text=_("Empty: the next year. Dates move by as many years; the key day keeps its day."),
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    new_slug = forms.SlugField(
        label=_("Short name of the new campaign"), max_length=50, required=False,
        help_text=_("Lower-case letters, digits and hyphens, e.g. qingdao-2023; empty: the year swapped in."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
