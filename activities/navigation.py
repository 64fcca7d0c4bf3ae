from django.utils.translation import gettext_lazy as _

NAV = [
    ("activities.manage", "activities:manage_list", _("Activities")),
    ("activities.review", "activities:review", _("Review queue")),
]
