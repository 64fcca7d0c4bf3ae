from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _


class SciDayAdminSite(admin.AdminSite):
    """Django's admin, for site administrators only; a logged-in non-administrator gets 403."""

    site_header = _("sciday site administration")
    site_title = _("sciday administration")
    index_title = _("Site administration")

    def has_permission(self, request):
        from accounts.permissions import can

        return can(request.user, "admin.site")

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                from accounts.permissions import require

                require(request.user, "admin.site")
            return inner(request, *args, **kwargs)

        guarded.__name__ = getattr(view, "__name__", "admin_view")
        return guarded

    def login(self, request, extra_context=None):
        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied
        return super().login(request, extra_context)


class SciDayAdminConfig(AdminConfig):
    default_site = "core.admin_site.SciDayAdminSite"
