from django.utils.translation import gettext_lazy as _

NAV = [("calendars.manage", "calendars:list", _("Holiday calendar"))]
