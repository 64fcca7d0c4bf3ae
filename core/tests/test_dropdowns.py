"""Drop-downs say 「请选择」 in forms and 「全部」 in filters, never 「---------」 (set once, in core)."""

from django import forms
from django.utils import translation

from core.forms import FilterForm
from organisations.models import District, Unit


class _Form(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["unit_type", "district"]


class _Filter(FilterForm, forms.Form):
    district = forms.ModelChoiceField(queryset=District.objects.all(), required=False)
    named = forms.ModelChoiceField(queryset=District.objects.all(), required=False, empty_label="全部区市")
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", "A")], required=False)


def test_forms_ask_to_choose(db):
    with translation.override("zh-hans"):
        html = str(_Form())
    assert "---------" not in html
    assert html.count("请选择") == 2


def test_filters_say_all_unless_they_name_it(db):
    with translation.override("zh-hans"):
        html = str(_Filter())
    assert "---------" not in html and "请选择" not in html
    assert html.count(">全部<") == 2 and "全部区市" in html
