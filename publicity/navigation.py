from django.utils.translation import gettext_lazy as _

NAV = [
    ("publicity.unit", "publicity:manage", _("Publicity")),
]
