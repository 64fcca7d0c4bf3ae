from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.clock import today

from .models import Holiday


class DayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"}))
    kind = forms.ChoiceField(label=pgettext_lazy("calendar day", "Type"), choices=Holiday.Kind.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))
    name = forms.CharField(label=pgettext_lazy("calendar day", "Name"), max_length=50,
                           help_text=_("The holiday it belongs to: 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节."),
                           widget=forms.TextInput(attrs={"class": "form-control"}))


class PasteForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100,
                              widget=forms.NumberInput(attrs={"class": "form-control"}))
    text = forms.CharField(
        label=_("The State Council's arrangements"),
        help_text=_("Paste the notice's lines (“二、春节：2月6日至14日放假调休，共9天。2月20日上班。”) or one "
                    "line per day or range (“2027-02-06 至 2027-02-14 放假 春节”, “2027-02-20 上班 春节”). The "
                    "pasted days replace the year's days, and the year counts as entered."),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 12}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = today().year + 1


class FilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Show only"), required=False,
                             choices=[("", _("All"))] + list(Holiday.Kind.choices),
                             widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
