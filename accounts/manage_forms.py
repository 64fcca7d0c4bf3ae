"""Forms of the pages where people manage API tokens and organisers manage accounts."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organisations.models import Office, Unit

User = get_user_model()


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select | forms.SelectMultiple) else "form-control"
        widget.attrs.setdefault("class", css)


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=60,
        help_text=_("What the token is for, such as the system that will use it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class AccountFilterForm(forms.Form):
    """The filters above the list of accounts (a GET form: every field is optional)."""

    ROLE_CHOICES = [
        ("", _("All roles")),
        ("coordinator", _("Unit coordinator")),
        ("office_staff", _("Office staff")),
        ("expert", _("Expert reviewer")),
        ("admin", _("Site administrator")),
    ]
    ACTIVE_CHOICES = [("", _("Active and deactivated")), ("1", _("Active")), ("0", _("Deactivated"))]

    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Username or name")}))
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, required=False)
    active = forms.ChoiceField(label=_("Status"), choices=ACTIVE_CHOICES, required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.order_by("name"), required=False,
                                  empty_label=_("All units"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class AccountForm(forms.Form):
    """A person's details and roles: coordinator of units, staff of offices, expert reviewer."""

    username = forms.RegexField(
        label=_("Username"), max_length=150, regex=r"^[\w.@+-]+$",
        help_text=_("Letters, digits and @ . + - _ only; the person logs in with it."),
        error_messages={"invalid": _("Use only letters, digits and @ . + - _ in a username.")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("Coordinator of units"), required=False,
        queryset=Unit.objects.filter(is_active=True).order_by("unit_type", "name"),
        help_text=_("A unit coordinator reports the unit's activities and summary. Hold Ctrl to choose several."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    offices = forms.ModelMultipleChoiceField(
        label=_("Staff of offices"), required=False, queryset=Office.objects.order_by("id"),
        help_text=_("Office staff are the campaign's organisers: they see and manage everything."),
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )
    is_expert = forms.BooleanField(label=_("Expert reviewer"), required=False)

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault("initial", {
                "username": instance.username,
                "full_name": instance.full_name,
                "email": instance.email,
                "phone": instance.phone,
                "units": list(instance.unit_memberships.values_list("unit_id", flat=True)),
                "offices": list(instance.office_memberships.values_list("office_id", flat=True)),
                "is_expert": instance.is_expert,
            })
        super().__init__(*args, **kwargs)
        if instance is not None:
            # The username is how the person logs in: it does not change once given out.
            self.fields["username"].disabled = True
            # A unit that was deactivated after the person was linked to it stays choosable.
            linked = instance.unit_memberships.values("unit_id")
            self.fields["units"].queryset = Unit.objects.filter(
                Q(is_active=True) | Q(pk__in=linked)
            ).order_by("unit_type", "name")
        self.fields["units"].label_from_instance = lambda unit: unit.name
        _bootstrap(self)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if self.instance is None and User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("An account with this username already exists."))
        return username

    def clean(self):
        cleaned = super().clean()
        is_admin = self.instance is not None and self.instance.is_superuser
        if not (cleaned.get("units") or cleaned.get("offices") or cleaned.get("is_expert") or is_admin):
            raise forms.ValidationError(
                _("Give the account a role: coordinator of a unit, staff of an office, or expert reviewer.")
            )
        return cleaned
