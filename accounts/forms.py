from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("Username"), max_length=150,
                               widget=forms.TextInput(attrs={"autofocus": True, "class": "form-control",
                                                             "autocomplete": "username"}))
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"class": "form-control",
                                                                 "autocomplete": "current-password"}))


class SciDayPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


class OTPTokenForm(forms.Form):
    token = forms.RegexField(label=_("6-digit code"), regex=r"^\d{6}$",
                             error_messages={"invalid": _("Enter the 6 digits your authenticator app shows.")},
                             widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "numeric",
                                                           "autocomplete": "one-time-code"}))


class EnrolmentCodeForm(forms.Form):
    enrolment_code = forms.CharField(label=_("Enrolment code"), max_length=20,
                                     help_text=_("The one-time code an organiser gave you, such as ABCD-EFGH-JKMN."),
                                     widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}))
