from django.contrib import admin

from .models import ExpertProfile


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "speciality"]
    autocomplete_fields = []
    raw_id_fields = ["user", "unit"]
