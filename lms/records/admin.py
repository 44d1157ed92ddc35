"""Records in Wagtail's admin: certificate templates as organization-scoped snippets and
the menu item of the issued-records screens (``views/admin.py``). ``wagtail_hooks``
registers them."""

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.snippets.views.snippets import DeleteView

from lms.organizations.admin import OrganizationScopedForm, OrganizationScopedViewSet
from lms.organizations.permissions import Action
from lms.organizations.selectors import can_anywhere, organizations_where

from .models import CertificateTemplate, CreditKind


class CertificateTemplateForm(WagtailAdminModelForm):
    """Offers only the organizations whose certificates the user may manage."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "organization" in self.fields:
            self.fields["organization"].queryset = organizations_where(
                user=self.for_user, action=Action.MANAGE_CERTIFICATES
            )


class CertificateTemplateViewSet(OrganizationScopedViewSet):
    """Every URL naming a template (history, usage, chooser too) checks its organization."""

    model = CertificateTemplate
    icon = "doc-full"
    menu_label = gettext_lazy("Certificate templates")
    menu_order = 410
    add_to_admin_menu = True
    list_display = ["organization", "heading", "primary_colour", "updated_at"]
    edit_handler = ObjectList(
        [
            FieldPanel("organization"),
            FieldPanel("heading"),
            MultiFieldPanel(
                [FieldPanel("logo"), FieldPanel("primary_colour"), FieldPanel("accent_colour")],
                heading=gettext_lazy("Look"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("signature_image"),
                    FieldPanel("signatory_name"),
                    FieldPanel("signatory_title"),
                ],
                heading=gettext_lazy("Signature"),
            ),
            FieldPanel("footer_text"),
        ],
        base_form_class=CertificateTemplateForm,
    )

    def get_queryset(self, request):
        return CertificateTemplate.objects.filter(
            organization__in=organizations_where(
                user=request.user, action=Action.MANAGE_CERTIFICATES
            )
        ).select_related("organization")


class IssuedRecordsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_anywhere(user=request.user, action=Action.VIEW_ISSUED_RECORDS)


# Continuing-education credit kinds: an association's admins keep the kinds a board approved
# it to offer. A kind that trainings offer or records earned is switched off, never deleted.


class CreditKindForm(OrganizationScopedForm):
    owner_action = Action.MANAGE_CREDIT_KINDS


def credit_kind_in_use(kind: CreditKind) -> str:
    """Why ``kind`` cannot be deleted, or "" when nothing uses it."""
    if kind.record_credits.exists():
        return _(
            "Records have earned “%(kind)s”, so it cannot be deleted. Switch off “Offered” "
            "to stop offering it; the records keep their credit."
        ) % {"kind": kind.name}
    if kind.training_offers.exists():
        return _(
            "Trainings offer “%(kind)s”, so it cannot be deleted. Remove it from their "
            "Credits tab, or switch off “Offered”."
        ) % {"kind": kind.name}
    return ""


class CreditKindDeleteView(DeleteView):
    """Refuses, with the reason, to delete a kind in use (the database would refuse too)."""

    def dispatch(self, request, *args, **kwargs):
        reason = credit_kind_in_use(self.object)
        if reason:
            return self.refuse(reason)
        try:
            return super().dispatch(request, *args, **kwargs)
        except ProtectedError:
            return self.refuse(credit_kind_in_use(self.object))

    def refuse(self, reason):
        messages.error(self.request, reason)
        return redirect(self.edit_url_name, quote(self.object.pk))


class CreditKindViewSet(OrganizationScopedViewSet):
    model = CreditKind
    icon = "tasks"
    menu_label = gettext_lazy("Credit kinds")
    menu_order = 420
    add_to_admin_menu = True
    delete_view_class = CreditKindDeleteView
    list_display = ["name", "awarding_body", "unit", "approved_until", "is_active", "organization"]
    list_filter = ["is_active", "unit"]
    search_fields = ["name", "code", "awarding_body"]
    edit_handler = ObjectList(
        [
            FieldPanel("organization"),
            FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
            FieldPanel("awarding_body"),
            FieldRowPanel([FieldPanel("unit"), FieldPanel("hours_per_unit")]),
            MultiFieldPanel(
                [
                    FieldPanel("certificate_statement"),
                    FieldPanel("approval_number"),
                    FieldRowPanel([FieldPanel("approved_from"), FieldPanel("approved_until")]),
                    FieldPanel("license_profession"),
                ],
                heading=gettext_lazy("Approval and certificate"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("minimum_score_percent"),
                    FieldPanel("minimum_questions_per_hour"),
                    FieldPanel("minimum_attendance_percent"),
                ],
                heading=gettext_lazy("The body's rules, on top of the training's"),
                help_text=gettext_lazy(
                    "Checked when an editor saves a training offering this credit and again "
                    "when a learner completes it. Attendance applies to live events only."
                ),
            ),
            FieldPanel("is_active"),
        ],
        base_form_class=CreditKindForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization")
