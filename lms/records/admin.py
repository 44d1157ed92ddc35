"""Records in Wagtail's admin: certificate templates as organization-scoped snippets and
the menu item of the issued-records screens (``views/admin.py``). ``wagtail_hooks``
registers them."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList

from lms.organizations.admin import (
    OrganizationScopedViewSet,
)
from lms.organizations.permissions import Action
from lms.organizations.selectors import can_anywhere, organizations_where

from .models import CertificateTemplate


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
    menu_label = _("Certificate templates")
    menu_order = 410
    add_to_admin_menu = True
    list_display = ["organization", "heading", "primary_colour", "updated_at"]
    edit_handler = ObjectList(
        [
            FieldPanel("organization"),
            FieldPanel("heading"),
            MultiFieldPanel(
                [FieldPanel("logo"), FieldPanel("primary_colour"), FieldPanel("accent_colour")],
                heading=_("Look"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("signature_image"),
                    FieldPanel("signatory_name"),
                    FieldPanel("signatory_title"),
                ],
                heading=_("Signature"),
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
