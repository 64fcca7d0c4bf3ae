from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import bootstrap
from core.i18n import localized
from organisations.models import Office, Unit
from uploads.forms import MultipleAssetFileField
from uploads.models import AssetUse

from .models import Category, Source, Status


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OfficeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return localized(obj)


CONSENT_LABEL = _(
    "I agree that the organisers keep my problem and my contact to handle it and tell me the outcome, "
    "as the Personal Information Protection Law allows. My contact is stored encrypted, is seen only by "
    "the staff handling the problem and is never published."
)


class ProblemSubmitForm(_Form):
    """The public form a S&T worker raises a problem with."""

    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    description = forms.CharField(label=_("Your problem"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text=_("What is the difficulty, and what would help? Please leave out "
                                              "names of other people."))
    contact = forms.CharField(label=_("Contact for feedback"), required=False, max_length=100,
                              help_text=_("A phone number, e-mail or WeChat id, if you want us to contact you. "
                                          "Optional: you can also follow your problem with the receipt code."))
    consent = forms.BooleanField(label=CONSENT_LABEL, required=True)


class ProblemCreateForm(_Form):
    """Office staff enter a problem received by phone or at a symposium."""

    source = forms.ChoiceField(label=_("Received"), choices=[
        (value, label) for value, label in Source.choices if value not in (Source.ONLINE, Source.SURVEY)])
    source_label = forms.CharField(label=_("Source details"), required=False, max_length=200,
                                   help_text=_("For example: symposium of young S&T workers, 2022-05-26."))
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    description = forms.CharField(label=_("Problem as raised"), max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 6}))
    contact = forms.CharField(label=_("Contact for feedback"), required=False, max_length=100)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())


class LedgerFilterForm(_Form):
    """The filters of the ledger; every field is optional and bad values are ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("Number, title or text")}))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All states")), *Status.choices])
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("All categories")), *Category.choices])
    unit = forms.ModelChoiceField(label=_("Responsible unit"), required=False, queryset=Unit.objects.order_by("name"),
                                  empty_label=_("All units"))
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, show_units: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_units:  # a coordinator sees only their own unit's problems anyway
            del self.fields["unit"]

    def filters(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        return {"search": data.get("q") or "", "status": data.get("status") or "",
                "category": data.get("category") or "", "unit": data.get("unit"),
                "overdue": bool(data.get("overdue"))}


class NoteForm(_Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))


class AcceptForm(NoteForm):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    public_summary = forms.CharField(label=_("Public summary"), required=False, max_length=1000,
                                     widget=forms.Textarea(attrs={"rows": 3}),
                                     help_text=_("Shown on the public results page once resolved; "
                                                 "no names or personal details."))


class DeclineForm(_Form):
    note = forms.CharField(label=_("Reason for declining"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(NoteForm):
    unit = forms.ModelChoiceField(label=_("Responsible unit"), required=False,
                                  queryset=Unit.objects.filter(is_active=True).order_by("name"))
    office = OfficeChoiceField(label=_("or responsible office"), required=False, queryset=Office.objects.all())
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())


class ProgressForm(_Form):
    on_date = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(label=_("Progress"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(_Form):
    resolution = forms.CharField(label=_("What was done"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
    public_summary = forms.CharField(label=_("Public summary"), max_length=1000,
                                     widget=forms.Textarea(attrs={"rows": 3}),
                                     help_text=_("Shown on the public results page; no names or personal details."))
    evidence_files = MultipleAssetFileField(use=AssetUse.PLAN, label=_("Evidence"), required=False, max_files=5,
                                            help_text=_("Photos, PDF or Word documents; at most 5 files."))


class ObjectForm(_Form):
    note = forms.CharField(label=_("Why is the problem not solved?"), max_length=3000,
                           widget=forms.Textarea(attrs={"rows": 3}))


ACTION_FORMS = {
    "accept": AcceptForm, "decline": DeclineForm, "assign": AssignForm, "progress": ProgressForm,
    "resolve": ResolveForm, "confirm": NoteForm, "object": ObjectForm,
}


class FollowForm(_Form):
    code = forms.CharField(label=_("Receipt code"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "XXXX-XXXX-XXXX"}))


class SubmitterResponseForm(_Form):
    note = forms.CharField(label=_("Your comment"), required=False, max_length=3000,
                           widget=forms.Textarea(attrs={"rows": 3}))
