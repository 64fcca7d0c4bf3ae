from django.utils.translation import gettext_lazy as _

NAV = [("problems.ledger", "problems:ledger", _("Problems ledger"))]
