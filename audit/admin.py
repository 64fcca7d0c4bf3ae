from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only in the admin too: no add, change or delete."""

    list_display = ["created_at", "actor_name", "action", "object_repr", "ip", "outcome"]
    list_filter = ["outcome"]
    search_fields = ["action", "actor_name", "object_repr"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
