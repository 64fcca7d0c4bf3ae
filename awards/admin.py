from django.contrib import admin

from .models import ExpertProfile, Holiday


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """Administrators keep the holiday calendar (法定节假日 and 调休) that public notice periods count by."""

    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "speciality"]
    autocomplete_fields = []
    raw_id_fields = ["user", "unit"]
