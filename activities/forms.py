import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.models import ActivityForm as FormOfActivity
from campaigns.models import Category
from core.forms import bootstrap
from core.i18n import localized
from core.links import link_form_field
from organisations.models import District, level_unit_type_choices
from organisations.services import validate_phone
from uploads.forms import AssetFileField, MultipleAssetFileField
from uploads.models import AssetUse

from .models import COUNTED, Activity, Audience, Mode, PlanKind, State

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")




class LocalizedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return localized(obj)


class FormChoiceField(forms.ModelChoiceField):
    """The form 形式 of an activity, grouped by category: choosing the form chooses the category."""

    def __init__(self, *, campaign, **kwargs):
        queryset = FormOfActivity.objects.filter(category__campaign=campaign).select_related("category")
        super().__init__(queryset=queryset, **kwargs)
        groups: dict = {}
        for item in queryset.order_by("category__number", "order", "id"):
            key = f"{item.category.number}. {localized(item.category)}"
            groups.setdefault(key, []).append((item.pk, localized(item)))
        self.choices = [("", self.empty_label), *groups.items()]


DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActivityEditForm(forms.ModelForm):
    """Register or change an activity; the category follows from the form chosen."""

    audiences = forms.MultipleChoiceField(label=_("Target audiences"), choices=Audience.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    cover = AssetFileField(use=AssetUse.IMAGE, label=_("Cover image"), required=False)
    link = link_form_field(label=_("Online link"), required=False)

    class Meta:
        model = Activity
        fields = ["form", "title", "mode", "starts_at", "ends_at", "district", "address", "platform", "link",
                  "audiences", "expected_participants", "joint_st_week", "contact_person", "contact_phone",
                  "show_contact_phone", "description", "partner_units"]
        widgets = {"starts_at": DATETIME_WIDGET, "ends_at": DATETIME_WIDGET,
                   "description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["form"] = FormChoiceField(campaign=campaign, label=_("Form"))
        if self.instance.pk:
            self.initial["form"] = self.instance.form_id
        self.fields["district"] = LocalizedChoiceField(label=_("District"), queryset=District.objects.all(),
                                                       required=False)
        self.fields["contact_phone"].validators.append(validate_phone)
        self.fields["description"].help_text = _("Simple formatting (bold, lists, links) is kept; scripts are removed.")
        self.fields["partner_units"].help_text = _("Separate several units with “、”.")
        bootstrap(self)

    def _post_clean(self):  # the service validates against the campaign
        pass

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("cover", None)
        data["category"] = data["form"].category
        return data


class PlansForm(forms.Form):
    """The three plans of an offline activity and the frugality pledge (every activity's)."""

    epidemic = AssetFileField(use=AssetUse.PLAN, label=PlanKind.EPIDEMIC.label, required=False)
    security = AssetFileField(use=AssetUse.PLAN, label=PlanKind.SECURITY.label, required=False)
    emergency = AssetFileField(use=AssetUse.PLAN, label=PlanKind.EMERGENCY.label, required=False)
    frugality_pledge = forms.BooleanField(
        label=_("We pledge to hold this activity frugally under the central eight-point rules (中央八项规定)."),
        required=False)

    def __init__(self, *args, offline: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not offline:  # an online activity makes the pledge but has no plans
            for kind in PlanKind.values:
                del self.fields[kind]
        bootstrap(self)


class ActivityFilterForm(forms.Form):
    """The filters of the activity lists; every field is optional and bad values are ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("Title, unit or venue")}))
    category = LocalizedChoiceField(label=_("Category"), required=False, queryset=Category.objects.none(),
                                    empty_label=_("All categories"))
    form = LocalizedChoiceField(label=_("Form"), required=False, queryset=FormOfActivity.objects.none(),
                                empty_label=_("All forms"))
    unit_type = forms.ChoiceField(label=_("Unit type"), required=False,
                                  choices=[("", _("All unit types")), *level_unit_type_choices()])
    district = LocalizedChoiceField(label=_("District"), required=False, queryset=District.objects.all(),
                                    empty_label=_("All districts"))
    mode = forms.ChoiceField(label=_("Mode"), required=False, choices=[("", _("All modes")), *Mode.choices])
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("All states")), (COUNTED, _("Approved (held and recommended included)")),
                                       *State.choices])
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    st_week = forms.ChoiceField(label=_("S&T Week"), required=False,
                                choices=[("", _("All")), ("1", _("Joint S&T Week activities")),
                                         ("0", _("Other activities"))])

    def __init__(self, *args, campaign=None, public: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if campaign is not None:
            self.fields["category"].queryset = Category.objects.filter(campaign=campaign)
            self.fields["form"].queryset = FormOfActivity.objects.filter(category__campaign=campaign)
        if public:
            for name in ("unit_type", "state", "form"):
                del self.fields[name]
            self.fields["when"] = forms.ChoiceField(label=pgettext_lazy("activity list", "When"), required=False, choices=[
                ("", _("Upcoming and under way first")), ("upcoming", _("Upcoming and under way")),
                ("held", _("Held"))])
            self.fields["when"].widget.attrs["class"] = "form-select"
            self.fields["cancelled"] = forms.BooleanField(label=_("Include cancelled activities"), required=False,
                                                         widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
        bootstrap(self)

    def filters(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        filters = {
            "search": data.get("q") or "",
            "category": data.get("category"),
            "district": data.get("district"),
            "mode": data.get("mode") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "st_week": {"1": True, "0": False}.get(data.get("st_week")),
        }
        if "cancelled" in self.fields:
            filters["cancelled"] = bool(data.get("cancelled"))
            filters["when"] = data.get("when") or ""
        if "state" in self.fields:
            filters |= {"form": data.get("form"), "unit_type": data.get("unit_type") or "",
                        "state": data.get("state") or ""}
        return filters


COMMON_RETURN_REASONS = [
    _("The plans are incomplete or do not match the activity."),
    _("The time or place is unclear."),
    _("The description is too short; say what will happen and for whom."),
    _("The category or form does not fit the activity."),
    _("The contact person or phone is missing or wrong."),
]


class ReturnForm(forms.Form):
    common = forms.MultipleChoiceField(label=_("Common reasons"), required=False,
                                       choices=[(str(i), r) for i, r in enumerate(COMMON_RETURN_REASONS)],
                                       widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean(self):
        data = super().clean()
        parts = [str(COMMON_RETURN_REASONS[int(i)]) for i in data.get("common", [])]
        if (data.get("reason") or "").strip():
            parts.append(data["reason"].strip())
        if not parts:
            raise ValidationError(_("Choose a common reason or write one."))
        data["full_reason"] = "\n".join(parts)
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ReportForm(forms.Form):
    actual_participants = forms.IntegerField(label=_("Actual participants"), min_value=0)
    online_views = forms.IntegerField(label=_("Online views"), min_value=0, required=False)
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    photos = MultipleAssetFileField(use=AssetUse.IMAGE, max_files=9, label=_("Photos"), required=False)
    video = AssetFileField(use=AssetUse.VIDEO, label=_("Video"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class MediaForm(forms.Form):
    """More photos, a new video or one more coverage entry for a reported outcome."""

    photos = MultipleAssetFileField(use=AssetUse.IMAGE, max_files=9, label=_("Add photos"), required=False)
    video = AssetFileField(use=AssetUse.VIDEO, label=_("Replace the video"), required=False)
    outlet = forms.CharField(label=_("Outlet"), max_length=100, required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    link = link_form_field(label=_("Link"), required=False)
    date = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean(self):
        data = super().clean()
        if any(data.get(f) for f in ("outlet", "title", "link", "date")):
            for field in ("outlet", "title", "date"):
                if not data.get(field):
                    self.add_error(field, _("Fill in the outlet, title and date of each report."))
        return data


class CoverageForm(forms.Form):
    outlet = forms.CharField(label=_("Outlet"), max_length=100, required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    link = link_form_field(label=_("Link"), required=False)
    date = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean(self):
        data = super().clean()
        if any(data.get(f) for f in ("outlet", "title", "link", "date")):
            for field in ("outlet", "title", "date"):
                if not data.get(field):
                    self.add_error(field, _("Fill in the outlet, title and date of each report."))
        return data


CoverageFormSet = forms.formset_factory(CoverageForm, extra=3, max_num=20)


class CheckInForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(label=_("Mobile number"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_phone(self):
        phone = re.sub(r"[\s-]", "", self.cleaned_data["phone"])
        if not phone and not self.fields["phone"].required:
            return ""
        if phone.startswith("+86"):
            phone = phone[3:]
        if not MOBILE_RE.match(phone):
            raise ValidationError(_("Enter an 11-digit mobile number starting with 1."))
        return phone


class ManualCheckInForm(CheckInForm):
    """The host adds a participant (补签): the phone is optional, for people without one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].required = False
        self.fields["phone"].label = _("Mobile number (optional)")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first().pk
        bootstrap(self)
