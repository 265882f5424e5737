from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import CityAssignment, User


class AssignmentInline(admin.TabularInline):
    model = CityAssignment
    extra = 0
    autocomplete_fields = ["city"]


@admin.register(User)
class ICCUserAdmin(UserAdmin):
    list_display = ("username", "email", "role", "language", "is_active")
    list_filter = ("role", "language", "is_active")
    fieldsets = (*(UserAdmin.fieldsets or ()), ("ICC", {"fields": ("role", "language")}))
    inlines = [AssignmentInline]
