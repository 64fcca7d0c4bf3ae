from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import FilterForm, Styled
from organisations.models import District, Unit
from uploads.forms import MultipleAssetFileField
from uploads.models import AssetUse

from .models import ExpertiseField, Programme, RequesterKind, RequestStatus, ServiceTeam, Volunteer

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"})




def _fields():
    return ExpertiseField.objects.filter(is_active=True)


class RequestForm(Styled, forms.Form):
    """A request for service, as a requester files it (public) or office staff enter it."""

    requester_kind = forms.ChoiceField(label=_("Who is asking"), choices=RequesterKind.choices)
    organisation = forms.CharField(label=_("Name of your organisation"), max_length=100,
                                   help_text=_("For example 八大湖街道某某社区居委会."))
    need = forms.CharField(label=_("What do you need"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("For example: a talk on preventing fraud for elderly residents (科普进社区)."))
    field = forms.ModelChoiceField(label=_("Field"), queryset=ExpertiseField.objects.none())
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.all())
    programme = forms.ModelChoiceField(label=_("Volunteer programme (optional)"), required=False,
                                       queryset=Programme.objects.none())
    preferred_from = forms.DateField(label=_("Preferred from"), required=False, widget=DATE)
    preferred_to = forms.DateField(label=_("Preferred until"), required=False, widget=DATE)
    contact_name = forms.CharField(label=_("Contact person"), max_length=50)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30,
                                    widget=forms.TextInput(attrs={"inputmode": "tel"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = _fields()
        self.fields["programme"].queryset = Programme.objects.filter(is_active=True)


class PublicRequestForm(RequestForm):
    consent = forms.BooleanField(
        label=_("I agree that my contact details are used only to arrange this service; they are stored "
                "encrypted and shown to staff masked."))


class FollowForm(Styled, forms.Form):
    code = forms.CharField(label=_("Receipt code"), max_length=30)


class ConfirmServiceForm(Styled, forms.Form):
    note = forms.CharField(label=_("Your comments (optional)"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RequestFilterForm(Styled, forms.Form):
    q = forms.CharField(label=_("Search requests"), required=False)
    status = forms.ChoiceField(label=_("Request status"), required=False,
                               choices=[("", _("All statuses"))] + list(RequestStatus.choices))


class MatchForm(Styled, forms.Form):
    team = forms.ModelChoiceField(label=_("Service team"), queryset=ServiceTeam.objects.none())
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams if teams is not None else ServiceTeam.objects.none()


class ScheduleForm(Styled, forms.Form):
    scheduled_for = forms.DateField(label=_("Service date"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(Styled, forms.Form):
    note = forms.CharField(label=_("Reason for closing"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class StaffConfirmForm(Styled, forms.Form):
    note = forms.CharField(label=_("How the requester confirmed"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))


ACTION_FORMS = {"match": MatchForm, "schedule": ScheduleForm, "close": CloseForm, "confirm": StaffConfirmForm}


class TeamForm(Styled, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Team name"), max_length=100)
    description = forms.CharField(label=_("What the team offers"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    fields_of_expertise = forms.ModelMultipleChoiceField(label=_("Fields of expertise"), queryset=ExpertiseField.objects.none(),
                                                         widget=forms.CheckboxSelectMultiple)
    districts = forms.ModelMultipleChoiceField(label=_("Districts served"), queryset=District.objects.all(),
                                               widget=forms.CheckboxSelectMultiple)
    members = forms.ModelMultipleChoiceField(label=_("Team members"), required=False,
                                             queryset=Volunteer.objects.none(), widget=forms.CheckboxSelectMultiple)
    leader = forms.ModelChoiceField(label=_("Team leader"), required=False, queryset=Volunteer.objects.none())
    is_active = forms.BooleanField(label=_("The team is active"), required=False, initial=True)

    def __init__(self, *args, units, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["fields_of_expertise"].queryset = _fields()
        self.fields["members"].queryset = volunteers
        self.fields["leader"].queryset = volunteers


class VolunteerForm(Styled, forms.Form):
    unit = forms.ModelChoiceField(label=_("Managing unit"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Volunteer's name"), max_length=50)
    gender = forms.ChoiceField(label=_("Gender"), required=False,
                               choices=[("", "—")] + list(Volunteer.Gender.choices))
    mobile = forms.CharField(label=_("Mobile number"), max_length=20)
    workplace = forms.CharField(label=_("Workplace"), required=False, max_length=100)
    field = forms.ModelChoiceField(label=_("Field of expertise"), required=False, queryset=ExpertiseField.objects.none())
    title = forms.CharField(label=_("Professional title"), required=False, max_length=50)
    registry_number = forms.CharField(label=_("Number in the national volunteer registry"), required=False,
                                      max_length=40)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["field"].queryset = _fields()


class VolunteerImportForm(Styled, forms.Form):
    unit = forms.ModelChoiceField(label=_("Managing unit"), queryset=Unit.objects.none())
    file = forms.FileField(label=_("Volunteer workbook (.xlsx)"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class VolunteerFilterForm(FilterForm, Styled, forms.Form):
    q = forms.CharField(label=_("Search volunteers"), required=False)
    field = forms.ModelChoiceField(label=_("Field of expertise"), required=False, queryset=ExpertiseField.objects.all())


class RecordForm(Styled, forms.Form):
    """A service record; the volunteers present and their hours come as ``hours_<volunteer id>`` fields."""

    date = forms.DateField(label=_("Service date"), widget=DATE)
    place = forms.CharField(label=_("Service place"), max_length=200)
    programme = forms.ModelChoiceField(label=_("Volunteer programme"), required=False, queryset=Programme.objects.none())
    summary = forms.CharField(label=pgettext_lazy("service record", "What was done"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    beneficiaries = forms.IntegerField(label=_("Number of beneficiaries"), min_value=0, initial=0)
    beneficiary_kind = forms.CharField(label=_("Kind of beneficiaries"), required=False, max_length=100,
                                       help_text=_("For example: elderly residents, pupils, farmers."))
    photos = MultipleAssetFileField(label=_("Photos"), use=AssetUse.IMAGE, max_files=9, required=False)

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(is_active=True)
        self.volunteers = list(volunteers)
        for volunteer in self.volunteers:
            self.fields[f"hours_{volunteer.pk}"] = forms.DecimalField(
                label=volunteer.name, required=False, min_value=Decimal("0"), max_value=Decimal("24"),
                decimal_places=1, widget=forms.NumberInput(attrs={"step": "0.5", "class": "form-control",
                                                                   "data-testid": f"hours-{volunteer.pk}"}))

    def hour_fields(self):
        return [self[f"hours_{v.pk}"] for v in self.volunteers]

    def attendance(self):
        return [(v, self.cleaned_data[f"hours_{v.pk}"]) for v in self.volunteers
                if self.cleaned_data.get(f"hours_{v.pk}")]


class FieldForm(Styled, forms.Form):
    name = forms.CharField(label=_("Name of the field"), max_length=50)
    name_en = forms.CharField(label=_("English name of the field"), max_length=100, required=False)


class ProgrammeForm(Styled, forms.Form):
    code = forms.SlugField(label=_("Programme code"), max_length=40,
                           help_text=_("Letters, digits and hyphens, for example “rural-science”."))
    name = forms.CharField(label=_("Name of the programme"), max_length=100)
    audience = forms.CharField(label=_("Who the programme serves"), max_length=100)
    description = forms.CharField(label=_("About the programme"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
