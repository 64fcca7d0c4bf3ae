"""Form helpers shared by every app's views."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import pgettext_lazy


def show_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on ``form``: each field's messages on that field, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


ALL = pgettext_lazy("drop-down", "All")


class FilterForm:
    """Mixin for a list's filter form: every drop-down's empty choice reads 「全部」 unless it names itself
    (e.g. 「全部区市」); forms elsewhere read 「请选择」 (core.apps)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from core.apps import CHOOSE

        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and not isinstance(field, forms.ModelMultipleChoiceField):
                if field.empty_label in (CHOOSE, "---------"):
                    field.empty_label = ALL
            elif isinstance(field, forms.ChoiceField):
                field.choices = [(value, ALL if value == "" and label in (CHOOSE, "---------") else label)
                                 for value, label in field.choices]


def bootstrap(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget of ``form``: ``form-select`` for a select, ``form-control`` for the rest;
    checkboxes and radio buttons keep theirs (templates style those). A class set by the form is kept."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):  # RadioSelect covers CheckboxSelectMultiple
            continue
        widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


class Styled:
    """``bootstrap`` applied when the form is made. Put it before ``forms.Form``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
