from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("label", "kind", "started_by", "created", "done", "total", "stage")
    list_filter = ("kind",)
    search_fields = ("label", "task_result_id")
    readonly_fields = ("id", "task_result_id", "created", "done", "total", "stage", "result_url")
