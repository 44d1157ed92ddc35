"""Wagtail admin for an association's membership-system sign-in, scoped to the associations
whose integrations the admin manages (``wagtail_hooks`` registers it). The screen shows the
addresses to give the membership system; the OpenID Connect secret is write-only and kept
encrypted. Wagtail's history records each change and who made it."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import Column

from courses.admin.columns import yes_no
from lms.organizations.admin import (
    OBJECT_ACTIONS,
    OrganizationScopedForm,
    OrganizationScopedPolicy,
    OrganizationScopedViewSet,
)
from lms.organizations.permissions import Action

from . import saml, secrets
from .models import IdentityProvider, Protocol


def identity_provider_policy() -> OrganizationScopedPolicy:
    return OrganizationScopedPolicy(
        IdentityProvider,
        actions=dict.fromkeys(OBJECT_ACTIONS, Action.MANAGE_INTEGRATIONS),
        owner_field="association",
    )


class IdentityProviderForm(OrganizationScopedForm):
    owner_field = "association"
    owner_action = Action.MANAGE_INTEGRATIONS

    oidc_secret = forms.CharField(
        label=gettext_lazy("client secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("Stored encrypted. Leave empty to keep the one saved."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.fields.get("membership_plan")
        if plan is not None and self.for_user is not None:
            allowed = self.fields["association"].queryset
            plan.queryset = plan.queryset.filter(association__in=allowed)

    def clean(self):
        cleaned = super().clean()
        association, plan = cleaned.get("association"), cleaned.get("membership_plan")
        if association and plan and plan.association_id != association.pk:
            self.add_error("membership_plan", _("Choose one of this association's plans."))
        protocol = cleaned.get("protocol")
        if protocol == Protocol.SAML:
            pasted = (cleaned.get("idp_metadata_xml") or "").strip()
            parts = [cleaned.get(f) for f in ("idp_entity_id", "idp_sso_url", "idp_certificate")]
            if not pasted and not all(parts):
                raise ValidationError(
                    _("Paste the IdP metadata, or give its entity ID, sign-in URL and certificate.")
                )
        if protocol == Protocol.OIDC:
            for name in ("oidc_issuer", "oidc_client_id"):
                if not cleaned.get(name):
                    self.add_error(name, _("OpenID Connect needs this."))
        return cleaned

    def save(self, commit=True):
        secret = self.cleaned_data.get("oidc_secret")
        if secret:
            self.instance.oidc_secret_encrypted = secrets.encrypt(secret)
        return super().save(commit=commit)


class AddressesPanel(Panel):
    """What to give the membership system: Attune's addresses for this association."""

    class BoundPanel(Panel.BoundPanel):
        def render_html(self, parent_context=None):
            instance = self.instance
            if not instance.pk or not instance.association.site_id:
                return format_html(
                    "<p>{}</p>", _("Save to see the addresses to give your membership system.")
                )
            site = saml.site_root(instance)
            rows = [
                (_("SAML SP entity ID and metadata URL"), saml.entity_id(instance)),
                (_("SAML assertion consumer service (ACS) URL"), saml.acs_url(instance)),
                (_("OpenID Connect redirect URI"), site + "/sso/oidc/callback/"),
            ]
            return format_html(
                "<dl>{}</dl>",
                format_html_join("", "<dt>{}</dt><dd><code>{}</code></dd>", rows),
            )


class IdentityProviderViewSet(OrganizationScopedViewSet):
    model = IdentityProvider
    icon = "key"
    menu_label = gettext_lazy("Membership system sign-in")
    add_to_admin_menu = True
    menu_order = 440
    list_filter = ["protocol", "enabled"]
    edit_handler = ObjectList(
        [
            FieldPanel("association"),
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("protocol"), FieldPanel("enabled")]),
            AddressesPanel(heading=gettext_lazy("Give these to your membership system")),
            MultiFieldPanel(
                [
                    FieldPanel("idp_metadata_xml"),
                    FieldPanel("idp_entity_id"),
                    FieldPanel("idp_sso_url"),
                    FieldPanel("idp_certificate"),
                    FieldPanel("allow_idp_initiated"),
                ],
                heading=gettext_lazy("SAML 2.0"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("oidc_issuer"),
                    FieldPanel("oidc_client_id"),
                    FieldPanel("oidc_secret"),
                ],
                heading=gettext_lazy("OpenID Connect"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("subject_attribute"),
                    FieldPanel("email_attribute"),
                    FieldRowPanel(
                        [FieldPanel("first_name_attribute"), FieldPanel("last_name_attribute")]
                    ),
                    FieldPanel("status_attribute"),
                    FieldPanel("active_values"),
                    FieldPanel("expiry_attribute"),
                    FieldPanel("membership_plan"),
                ],
                heading=gettext_lazy("What the membership system says"),
            ),
        ],
        base_form_class=IdentityProviderForm,
    )

    @property
    def list_display(self):
        return [
            "name",
            "association",
            Column("protocol", label=gettext_lazy("Protocol"), accessor="get_protocol_display"),
            yes_no(IdentityProvider, "enabled", label=gettext_lazy("On")),
        ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("association")
