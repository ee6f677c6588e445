from django.contrib import admin

from .models import Job, RejectionReason


@admin.register(RejectionReason)
class RejectionReasonAdmin(admin.ModelAdmin):
    list_display = ("name", "active", "position")
    list_editable = ("active", "position")


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("title", "reference", "status", "published", "department")
    list_filter = ("status", "published")
    readonly_fields = ("description_html",)
