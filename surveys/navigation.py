from django.utils.translation import gettext_lazy as _

NAV = [("surveys.units", "surveys:manage_list", _("Surveys"))]
