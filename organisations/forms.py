from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import bootstrap
from core.i18n import localized

from .importing import MAX_FILE_BYTES
from .models import DISTRICT_UNIT_TYPES, District, Unit, level_unit_type_choices
from .services import validate_phone


class DistrictChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return localized(obj)




class UnitFilterForm(forms.Form):
    """The filters of the units list; every field is optional and bad values are ignored."""

    ACTIVE_CHOICES = [("", _("Active and deactivated")), ("1", _("Active only")), ("0", _("Deactivated only"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("Name, contact person, phone or e-mail")}))
    unit_type = forms.ChoiceField(label=_("Unit type"), required=False,
                                  choices=[("", _("All unit types")), *level_unit_type_choices()])
    district = DistrictChoiceField(label=_("District"), required=False, queryset=District.objects.all(),
                                   empty_label=_("All districts"))
    active = forms.ChoiceField(label=_("Status"), required=False, choices=ACTIVE_CHOICES)
    ACTIVITY_CHOICES = [("", _("With or without activities")), ("none", _("No approved activity this campaign")),
                        ("some", _("At least one approved activity"))]
    activity = forms.ChoiceField(label=_("Activities"), required=False, choices=ACTIVITY_CHOICES)
    campaign = forms.SlugField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def filters(self) -> dict:
        """Keyword arguments for ``selectors.unit_list``; invalid values count as not given."""
        self.is_valid()  # cleaned_data then holds only the fields that were valid
        data = self.cleaned_data
        active = data.get("active")
        return {
            "search": data.get("q") or "",
            "unit_type": data.get("unit_type") or "",
            "district": data.get("district"),
            "active": {"1": True, "0": False}.get(active),
            "reported": {"none": False, "some": True}.get(data.get("activity")),
            "campaign_slug": data.get("campaign") or "",
        }


class UnitContactForm(forms.ModelForm):
    """What a unit's own coordinator may change: who to contact and how."""

    class Meta:
        model = Unit
        fields = ["contact_person", "phone", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].validators.append(validate_phone)
        self.fields["phone"].help_text = _("A mobile number such as 13800138000 or a landline such as 0532-85916831.")
        bootstrap(self)

    def _post_clean(self):
        # The service validates and saves; the form must not touch the instance.
        pass


class UnitForm(UnitContactForm):
    """Every field of a unit, for organisers."""

    district = DistrictChoiceField(label=_("District"), required=False, queryset=District.objects.all(),
                                   help_text=_("Required for district associations and district bureaus."))

    class Meta:
        model = Unit
        fields = ["name", "unit_type", "district", "contact_person", "phone", "email", "is_active"]

    def clean(self):
        # The service checks this too; checking here shows it together with the other errors.
        cleaned = super().clean()
        if cleaned.get("unit_type") in DISTRICT_UNIT_TYPES and not cleaned.get("district"):
            self.add_error("district", _("A district association or district bureau must name its district."))
        return cleaned


class UnitImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("Fill in the template and upload it. Up to 5,000 rows and 5 MB."),
        widget=forms.ClearableFileInput(attrs={
            "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB; split it into several files.")
                % {"mb": MAX_FILE_BYTES // (1024 * 1024)})
        return upload
