from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import bootstrap
from organisations.models import Unit
from uploads.forms import AssetFileField, KeepsUploads, MultipleAssetFileField
from uploads.models import AssetUse

from .models import Nomination, Objection, Selection
from .services import NOMINATION_FIELDS, SETTINGS_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _Bootstrap:
    def _style(self):
        bootstrap(self)


class SelectionForm(_Bootstrap, forms.ModelForm):
    class Meta:
        model = Selection
        fields = SETTINGS_FIELDS
        widgets = {"nomination_start": DATE, "nomination_end": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class SelectionCreateForm(SelectionForm):
    class Meta(SelectionForm.Meta):
        fields = ["campaign", *SETTINGS_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = self.fields["campaign"].queryset.filter(award_selection__isnull=True)


class QuotaForm(_Bootstrap, forms.Form):
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.filter(is_active=True))
    quota = forms.IntegerField(label=_("nomination quota"), min_value=0, required=False,
                               help_text=_("Leave empty to return the unit to the default quota."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class CriterionForm(_Bootstrap, forms.Form):
    name = forms.CharField(label=_("criterion"), max_length=100)
    description = forms.CharField(label=_("criterion description"), max_length=300, required=False)
    weight = forms.DecimalField(label=_("weight"), min_value=0, max_digits=4, decimal_places=2, initial=1)
    max_score = forms.IntegerField(label=_("maximum score"), min_value=1, max_value=1000, initial=10)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


CriterionFormSet = forms.formset_factory(CriterionForm, extra=1, can_delete=True)


class NominationForm(KeepsUploads, _Bootstrap, forms.ModelForm):
    """The 推荐表; everything but the name may be saved incomplete, the submit step checks completeness."""

    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False,
                                help_text=_("Stored encrypted and shown masked. Leave empty to keep the stored one."))
    mobile = forms.CharField(label=_("mobile number"), max_length=11, required=False,
                             help_text=_("Stored encrypted and shown masked. Leave empty to keep the stored one."))
    id_photo = AssetFileField(use=AssetUse.IMAGE, label=_("2-inch ID photo"), required=False)
    life_photos = MultipleAssetFileField(use=AssetUse.IMAGE, max_files=5, label=_("life photos (3–5)"),
                                         required=False,
                                         help_text=_("Choosing new photos replaces the stored ones."))
    video = AssetFileField(use=AssetUse.VIDEO, label=_("video of 3–5 minutes (optional)"), required=False)
    consent = AssetFileField(use=AssetUse.DOCUMENT, label=_("signed consent of the nominee (PDF or Word)"),
                             required=False)

    class Meta:
        model = Nomination
        fields = NOMINATION_FIELDS
        widgets = {"birth_date": DATE, "achievements": forms.Textarea(attrs={"rows": 8}),
                   "honours": forms.Textarea(attrs={"rows": 3}), "unit_opinion": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"] = forms.ModelChoiceField(label=_("nominating unit"), queryset=units,
                                                         initial=units.first())
            self.order_fields(["unit"])
        self._style()

    def clean(self):
        # The service's own check of the ID and mobile numbers, here too, so that their errors show
        # beside every other field's at once instead of after the others are fixed.
        from .services import personal_errors

        data = super().clean()
        for field, message in personal_errors(id_number=data.get("id_number"), mobile=data.get("mobile")).items():
            self.add_error(field, message)
        return data

    def clean_life_photos(self):
        photos = self.cleaned_data["life_photos"]
        if photos and len(photos) < 3:
            raise forms.ValidationError(_("Please choose 3 to 5 life photos at once."))
        return photos

    def split(self) -> tuple[dict, dict]:
        data = {f: self.cleaned_data[f] for f in NOMINATION_FIELDS}
        files = {f: self.cleaned_data.get(f) for f in ("id_photo", "life_photos", "video", "consent")}
        return data, files


class ReasonForm(_Bootstrap, forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ExpertInviteForm(_Bootstrap, forms.Form):
    user = forms.ModelChoiceField(label=_("user to invite as expert"),
                                  queryset=User.objects.filter(is_active=True).order_by("username"))
    unit = forms.ModelChoiceField(label=_("expert's unit"), queryset=Unit.objects.filter(is_active=True),
                                  required=False,
                                  help_text=_("Nominations of this unit will never be assigned to the expert."))
    speciality = forms.CharField(label=_("speciality"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class AssignForm(_Bootstrap, forms.Form):
    expert = forms.ModelChoiceField(label=_("expert"), queryset=User.objects.filter(is_active=True, is_expert=True))
    nominations = forms.ModelMultipleChoiceField(label=_("nominations to review"), queryset=Nomination.objects.none(),
                                                 widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, selection=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominations"].queryset = selection.nominations.filter(
            status=Nomination.Status.ELIGIBLE).select_related("unit")
        self.fields["nominations"].label_from_instance = lambda n: f"{n.name}（{n.unit.name}）"
        self._style()


class ScoreForm(_Bootstrap, forms.Form):
    comment = forms.CharField(label=_("review comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name}（{criterion.max_score}）", min_value=0, max_value=criterion.max_score,
                decimal_places=1, help_text=criterion.description)
        self.order_fields([f"c{c.pk}" for c in criteria] + ["comment"])
        self.criteria = list(criteria)
        self._style()

    def scores(self) -> dict:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class DecisionForm(_Bootstrap, forms.Form):
    finalists = forms.TypedMultipleChoiceField(label=_("finalists"), coerce=int, widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("reason for departing from the ranking"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, rows=(), missing=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finalists"].choices = [(r.nomination.pk, f"{r.rank}. {r.nomination.name}") for r in rows]
        if missing:
            self.fields["confirm_incomplete"] = forms.BooleanField(
                label=_("I confirm that the committee decides although the reviews listed above are not finished"),
                required=False)
            self.fields["incomplete_reason"] = forms.CharField(
                label=_("reason for deciding before the reviews are finished"), required=False,
                widget=forms.Textarea(attrs={"rows": 2}))
        self._style()


class NoticeForm(_Bootstrap, forms.Form):
    start = forms.DateField(label=_("first day of the public notice"), widget=DATE)
    text = forms.CharField(label=_("public notice text"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ObjectionForm(_Bootstrap, forms.Form):
    nomination = forms.ModelChoiceField(label=_("finalist concerned"), queryset=Nomination.objects.none(),
                                        error_messages={"required": _("Choose the finalist your objection concerns.")})
    name = forms.CharField(label=_("your real name"), max_length=50)
    phone = forms.CharField(label=_("your mobile number"), max_length=11)
    facts = forms.CharField(label=_("facts and reasons"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
    attachments = MultipleAssetFileField(use=AssetUse.DOCUMENT, max_files=5, required=False,
                                         label=_("supporting documents (PDF or Word, optional)"))

    def __init__(self, *args, finalists=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].queryset = finalists
        self.fields["nomination"].label_from_instance = lambda n: f"{n.name}（{n.workplace or n.unit.name}）"
        self._style()


class ObjectionDecideForm(_Bootstrap, forms.ModelForm):
    outcome = forms.ChoiceField(label=_("objection outcome"), choices=[
        (Objection.Outcome.NOT_UPHELD, Objection.Outcome.NOT_UPHELD.label),
        (Objection.Outcome.UPHELD, Objection.Outcome.UPHELD.label)])

    class Meta:
        model = Objection
        fields = ["outcome", "investigation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investigation"].required = True
        self._style()


class ReleaseForm(_Bootstrap, forms.Form):
    announcement = forms.CharField(label=_("announcement text"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
