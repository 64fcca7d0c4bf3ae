from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# What an empty drop-down shows instead of Django's "---------" (docs/conventions.md, "Confirmation"
# section on drop-downs): forms ask the person to choose; filters (core.forms.FilterForm) say "all".
CHOOSE = pgettext_lazy("drop-down", "Please choose")


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import session_renewed_at_login

        set_blank_choice_labels()
        user_logged_in.connect(session_renewed_at_login, dispatch_uid="core.session_renewed_at_login")


def set_blank_choice_labels() -> None:
    """Once, for every form: a model field's blank choice and a ModelChoiceField's default empty label."""
    from django import forms
    from django.db.models import fields

    fields.BLANK_CHOICE_DASH[:] = [("", CHOOSE)]
    if getattr(forms.ModelChoiceField, "_sciday_choose", False):
        return
    original = forms.ModelChoiceField.__init__

    def __init__(self, queryset, *, empty_label="---------", **kwargs):
        if empty_label == "---------":
            empty_label = CHOOSE
        original(self, queryset, empty_label=empty_label, **kwargs)

    forms.ModelChoiceField.__init__ = __init__
    forms.ModelChoiceField._sciday_choose = True
