from django.utils.translation import gettext_lazy as _

NAV = [
    ("summaries.report", "rollup:home", _("Roll-up")),
]
