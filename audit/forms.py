from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("Object, action or user")}))
    action = forms.CharField(label=_("Action starts with"), required=False,
                             widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "accounts.user"}))
    outcome = forms.ChoiceField(label=_("Outcome"), required=False,
                                choices=[("", _("All"))] + list(AuditEntry.Outcome.choices),
                                widget=forms.Select(attrs={"class": "form-select"}))
    actor = forms.CharField(label=_("User"), required=False, widget=forms.TextInput(attrs={"class": "form-control"}))
    date_from = forms.DateField(label=_("From"), required=False,
                                widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    date_to = forms.DateField(label=_("To"), required=False,
                              widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
