from django.utils.translation import gettext_lazy as _

NAV = [("awards.view", "awards:home", _("Most Beautiful S&T Workers"))]
