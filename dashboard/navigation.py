from django.utils.translation import gettext_lazy as _

NAV = [
    ("dashboard.view", "dashboard:home", _("Dashboard")),
]
