from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import Styled

from . import selectors


class LinkCreateForm(Styled, forms.Form):
    unit = forms.ModelChoiceField(label=_("City unit"), queryset=selectors.sender_units())
    sender_campaign = forms.SlugField(label=_("The city's campaign (slug)"), required=False, max_length=50,
                                      help_text=_("Optional: the code in the city's campaign address (/c/<code>/); "
                                                  "empty: taken from the first package accepted."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].label_from_instance = lambda u: f"{u.region_code} {u.name}"


class PackageUploadForm(Styled, forms.Form):
    package = forms.FileField(label=_("Upward package (.zip)"))
    dry_run = forms.BooleanField(label=_("Only check it (dry run): nothing is written"), required=False)


class DecisionForm(Styled, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             required=False)


class ProvinceLinkForm(Styled, forms.Form):
    address = forms.URLField(label=_("Address of the province's sciday"), max_length=300, assume_scheme="https",
                             help_text=_("The address the province gave you, e.g. https://sciday.example.org.cn"))
    token = forms.CharField(label=_("Token given by the province"), required=False, max_length=200,
                            widget=forms.PasswordInput(render_value=False),
                            help_text=_("Kept encrypted. Leave empty to keep the token already entered."))
