from django.contrib import admin

from .models import City, CityFact, Edition, StoredFramework


class FactInline(admin.TabularInline):
    model = CityFact
    extra = 0


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ("name", "country_name", "is_member")
    list_filter = ("country_name", "is_member")
    search_fields = ("name", "name_as_listed")
    inlines = [FactInline]


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ("year", "framework", "status", "opens", "closes")


@admin.register(StoredFramework)
class StoredFrameworkAdmin(admin.ModelAdmin):
    list_display = ("framework_id", "version", "loaded_at")
    readonly_fields = ("definition",)
