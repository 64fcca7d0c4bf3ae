from django.utils.translation import gettext_lazy as _

NAV = [
    ("summaries.own", "summaries:mine", _("Our summary")),
    ("summaries.inbox", "summaries:inbox", _("Summary inbox")),
]
