from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.apps import CHOOSE
from core.forms import FilterForm, Styled
from core.links import link_form_field
from organisations.models import Unit

from .models import ArticleKind, Channel, CoverageLevel, PosterTarget, PosterTemplate, Video, VideoField, VideoState
from .services import TEMPLATE_POSITIONS

BLANK = ("", CHOOSE)


def _own_units(user):
    from accounts.permissions import is_organiser, unit_ids

    units = Unit.objects.filter(is_active=True).order_by("name")
    return units if is_organiser(user) else units.filter(pk__in=unit_ids(user))


class VideoSubmitForm(Styled, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    author = forms.CharField(label=_("Author"), max_length=50)
    unit_name = forms.CharField(label=_("Unit"), max_length=100, required=False)
    field = forms.ChoiceField(label=pgettext_lazy("video field", "Field"), choices=[BLANK, *VideoField.choices])
    description = forms.CharField(label=_("About the video"), max_length=1000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    video = forms.FileField(label=_("Video file"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "video/*"}))
    consent = forms.BooleanField(label=_("I recorded this video or have the consent of everyone in it, and agree that "
                                         "it is shown on this site and shared for the campaign."), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_name"].required = True
        if user is not None and user.is_authenticated:
            units = _own_units(user)
            self.fields["unit"] = forms.ModelChoiceField(label=_("Submit for my unit"), queryset=units,
                                                         required=False)
            self.fields["unit"].widget.attrs["class"] = "form-select"
            self.fields["unit_name"].required = False
            self.order_fields(["title", "author", "unit", "unit_name"])

    def clean(self):
        data = super().clean()
        if not data.get("unit") and not (data.get("unit_name") or "").strip() and "unit_name" not in self.errors:
            self.add_error("unit_name", _("Please fill in %(field)s.") % {"field": _("the unit")})
        return data


class VideoFilterForm(FilterForm, Styled, forms.Form):
    field = forms.ChoiceField(label=pgettext_lazy("video field", "Field"), choices=[BLANK, *VideoField.choices], required=False)
    unit = forms.CharField(label=_("Unit"), max_length=50, required=False)
    order = forms.ChoiceField(label=pgettext_lazy("sort order", "Order"), required=False,
                              choices=[("newest", _("Newest")), ("liked", _("Most liked"))])

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {"field": self.cleaned_data.get("field") or "", "unit": self.cleaned_data.get("unit") or "",
                "order": self.cleaned_data.get("order") or "newest"}


class ReviewFilterForm(FilterForm, Styled, forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=[BLANK, *VideoState.choices], required=False)


class ReturnForm(Styled, forms.Form):
    reason = forms.CharField(label=_("Reason for return"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class PosterTemplateForm(Styled, forms.ModelForm):
    background_file = forms.FileField(label=_("Background image"),
                                      widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))

    class Meta:
        model = PosterTemplate
        fields = ["name", "text_color", *TEMPLATE_POSITIONS]


class PosterForm(Styled, forms.Form):
    template = forms.ModelChoiceField(label=_("Template"), queryset=PosterTemplate.objects.none())
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    theme = forms.CharField(label=_("Theme"), max_length=60)
    date_text = forms.CharField(label=_("Date"), max_length=40)
    target = forms.ChoiceField(label=_("QR code leads to"), choices=[BLANK, *PosterTarget.choices])

    def __init__(self, *args, user=None, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = PosterTemplate.objects.filter(campaign=campaign, is_active=True)
        self.fields["unit"].queryset = _own_units(user)


class ArticleForm(Styled, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=[BLANK, *ArticleKind.choices])
    title = forms.CharField(label=_("Title"), max_length=200)
    channel = forms.ChoiceField(label=_("Channel"), choices=[BLANK, *Channel.choices])
    published_on = forms.DateField(label=_("Published on"), widget=forms.DateInput(attrs={"type": "date"}))
    link = link_form_field(label=_("Link"), required=False)
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    pdf = forms.FileField(label=_("PDF"), required=False,
                          widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _own_units(user)


class CityInitiativeForm(Styled, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    published_on = forms.DateField(label=_("Published on"), widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 12}))
    link = link_form_field(label=_("Link"), required=False)
    pdf = forms.FileField(label=_("PDF"), required=False,
                          widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))


class CoverageForm(Styled, forms.Form):
    unit = forms.ModelChoiceField(label=_("Recorded for unit"), queryset=Unit.objects.none(), required=False)
    outlet = forms.CharField(label=_("Outlet"), max_length=100)
    level = forms.ChoiceField(label=_("Level"), choices=[BLANK, *CoverageLevel.choices])
    published_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Title"), max_length=200)
    link = link_form_field(label=_("Link"), required=False)
    reach = forms.IntegerField(label=_("Reach (readers or views), if known"), required=False, min_value=0,
                               max_value=2_000_000_000)
    activity = forms.ModelChoiceField(label=_("About an activity"), queryset=None, required=False)
    nomination = forms.ModelChoiceField(label=_("About a winner"), queryset=None, required=False)
    video = forms.ModelChoiceField(label=_("About a short video"), queryset=None, required=False)

    def __init__(self, *args, user=None, campaign=None, **kwargs):
        from accounts.permissions import is_organiser
        from activities.models import Activity
        from awards.models import Nomination

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _own_units(user)
        if not is_organiser(user):
            self.fields["unit"].required = True
        self.fields["activity"].queryset = Activity.objects.filter(campaign=campaign).order_by("-starts_at")
        self.fields["nomination"].queryset = Nomination.objects.filter(
            selection__campaign=campaign, status=Nomination.Status.WINNER).order_by("name")
        self.fields["video"].queryset = Video.objects.filter(campaign=campaign, state=VideoState.APPROVED)
