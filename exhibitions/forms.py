from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import PUBLIC_STATES, Activity
from core.forms import bootstrap
from organisations.models import District, Unit
from uploads.forms import MultipleAssetFileField
from uploads.models import AssetUse

from .models import EducationBase, ExhibitionStop, GroupKind, VisitState

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"})
TIME = forms.TimeInput(attrs={"type": "time", "class": "form-control"}, format="%H:%M")




class BaseFilterForm(forms.Form):
    district = forms.ModelChoiceField(label=_("District of the base"), queryset=District.objects.order_by("order"),
                                      required=False, empty_label=_("All districts"), to_field_name="code")
    q = forms.CharField(label=_("Search the bases"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {"district": self.cleaned_data.get("district"), "search": self.cleaned_data.get("q") or ""}


class BookingForm(forms.Form):
    """The booking form: the public's (with the group's kind) or a coordinator's for their unit."""

    slot = forms.TypedChoiceField(label=_("Visit date and time"), coerce=int)
    group_kind = forms.ChoiceField(label=_("Kind of group"), choices=GroupKind.choices, initial=GroupKind.SCHOOL)
    group_name = forms.CharField(label=_("Name of the school, unit or group"), max_length=200)
    group_size = forms.IntegerField(label=_("Number of visitors"), min_value=1, max_value=1000)
    contact_name = forms.CharField(label=_("Contact person of the group"), max_length=50)
    contact_phone = forms.CharField(label=_("Contact person's phone"), max_length=30,
                                    help_text=_("Only the base sees it; it is stored encrypted."))
    note = forms.CharField(label=_("Note to the base"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = {s.pk: s for s in slots}
        self.fields["slot"].choices = [
            (s.pk, _("%(date)s %(start)s–%(end)s (%(free)d places left)") % {
                "date": s.date.isoformat(), "start": s.starts_at.strftime("%H:%M"), "end": s.ends_at.strftime("%H:%M"),
                "free": s.free}) for s in slots if s.free > 0]
        bootstrap(self)


class StopForm(forms.ModelForm):
    class Meta:
        model = ExhibitionStop
        fields = ["host_unit", "host_name", "venue", "district", "starts_on", "ends_on", "activity"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_unit"].queryset = Unit.objects.filter(is_active=True).order_by("name")
        self.fields["activity"].queryset = (Activity.objects.filter(state__in=PUBLIC_STATES)
                                            .only("pk", "title").order_by("-starts_at"))
        bootstrap(self)

    def values(self) -> dict:
        return {f: self.cleaned_data.get(f) for f in self.Meta.fields}


class StopReportForm(forms.Form):
    visitors = forms.IntegerField(label=_("Visitors at this stop"), min_value=0, required=False)
    photos = MultipleAssetFileField(label=_("Photos of the stop"), use=AssetUse.IMAGE, max_files=9, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class BaseForm(forms.ModelForm):
    class Meta:
        model = EducationBase
        fields = ["name", "name_en", "district", "address", "exhibits", "opening_hours", "capacity_per_slot",
                  "contact_person", "contact_phone", "managing_unit", "is_active"]
        widgets = {"exhibits": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["managing_unit"].queryset = Unit.objects.filter(is_active=True).order_by("name")
        bootstrap(self)

    def values(self) -> dict:
        return {f: self.cleaned_data.get(f) for f in self.Meta.fields}


class SlotForm(forms.Form):
    date = forms.DateField(label=_("Visit date"), widget=DATE)
    starts_at = forms.TimeField(label=_("From"), widget=TIME)
    ends_at = forms.TimeField(label=_("Until"), widget=TIME)
    capacity = forms.IntegerField(label=_("Slot capacity"), min_value=1, required=False,
                                  help_text=_("Leave empty to use the base's capacity per slot."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class VisitFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Booking state"), required=False,
                              choices=[("", _("All booking states")), *VisitState.choices])
    base = forms.ModelChoiceField(label=_("Education base"), required=False, queryset=EducationBase.objects.none(),
                                  empty_label=_("All bases"))

    def __init__(self, *args, bases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base"].queryset = bases if bases is not None else EducationBase.objects.none()
        bootstrap(self)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {"state": self.cleaned_data.get("state") or "", "base": self.cleaned_data.get("base")}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason given to the group"), max_length=300, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class CheckInForm(forms.Form):
    visitors = forms.IntegerField(label=_("Number of visitors present"), min_value=1, max_value=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
