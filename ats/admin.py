from django import forms
from django.contrib import admin

from . import letters
from .models import Job, Offer, OfferTemplate, RejectionReason


@admin.register(RejectionReason)
class RejectionReasonAdmin(admin.ModelAdmin):
    list_display = ("name", "active", "position")
    list_editable = ("active", "position")


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("title", "reference", "status", "published", "department")
    list_filter = ("status", "published")
    readonly_fields = ("description_html",)


class OfferTemplateForm(forms.ModelForm):
    """Checks the letter's merge fields when the template is saved (not when an offer is sent)."""

    class Meta:
        model = OfferTemplate
        fields = ("name", "body", "active")
        help_texts = {
            "body": "Merge fields: "
            + ", ".join(
                f"{{{{ {group}.{key} }}}}" if isinstance(values, dict) else f"{{{{ {group} }}}}"
                for group, values in letters.LETTER_FIELDS.items()
                for key in (values if isinstance(values, dict) else [""])
            )
            + ". {% if offer.bonus %}…{% endif %} works.",
        }

    def clean_body(self) -> str:
        body = self.cleaned_data.get("body") or ""
        problems = letters.template_problems(body)
        if problems:
            raise forms.ValidationError([str(problem) for problem in problems])
        return body


@admin.register(OfferTemplate)
class OfferTemplateAdmin(admin.ModelAdmin):
    form = OfferTemplateForm
    list_display = ("name", "active", "updated_at")
    list_filter = ("active",)


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    """Read-only: offers change only through their services (the chain, the link, history)."""

    list_display = ("pk", "application", "status", "salary", "currency", "created_at")
    list_filter = ("status",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
