from django.utils.translation import gettext_lazy as _

NAV = [("volunteering.view", "volunteering:request_list", _("Volunteer service"))]
