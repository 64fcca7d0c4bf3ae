from django.utils.translation import gettext_lazy as _

NAV = [
    ("bases.manage", "exhibitions:manage", _("Exhibitions and bases")),
    ("bases.manage", "exhibitions:visits", _("Base visit bookings")),
]
