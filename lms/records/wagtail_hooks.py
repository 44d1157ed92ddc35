from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from lms.organizations.admin import (
    OBJECT_ACTIONS,
    OrganizationScopedPolicy,
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
    menu_label = "Certificate templates"
    menu_order = 410
    add_to_admin_menu = True
    list_display = ["organization", "heading", "primary_colour", "updated_at"]
    edit_handler = ObjectList(
        [
            FieldPanel("organization"),
            FieldPanel("heading"),
            MultiFieldPanel(
                [FieldPanel("logo"), FieldPanel("primary_colour"), FieldPanel("accent_colour")],
                heading="Look",
            ),
            MultiFieldPanel(
                [
                    FieldPanel("signature_image"),
                    FieldPanel("signatory_name"),
                    FieldPanel("signatory_title"),
                ],
                heading="Signature",
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


# An organization's admins manage their own certificate templates, and only theirs.
register_permission_policy(
    CertificateTemplate,
    OrganizationScopedPolicy(
        CertificateTemplate, actions=dict.fromkeys(OBJECT_ACTIONS, Action.MANAGE_CERTIFICATES)
    ),
)
register_snippet(CertificateTemplateViewSet)


class IssuedRecordsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_anywhere(user=request.user, action=Action.VIEW_ISSUED_RECORDS)


@hooks.register("register_admin_urls")
def register_records_admin_urls():
    from .views import admin as admin_views

    urls = [
        path("", admin_views.issued_records, name="issued_records"),
        path("<uuid:verification_id>/", admin_views.issued_record, name="issued_record"),
    ]
    return [path("issued-records/", include((urls, "records_admin"), namespace="records_admin"))]


@hooks.register("register_admin_menu_item")
def register_issued_records_menu_item():
    return IssuedRecordsMenuItem(
        "Issued records",
        reverse("records_admin:issued_records"),
        icon_name="list-ul",
        order=400,
    )
