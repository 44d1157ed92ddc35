"""An association's membership system (AMS) as its members' sign-in: the connection (SAML 2.0
or OpenID Connect), who is who there (subject, per connection) and the SAML assertions
already used (refused when sent again)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Protocol(models.TextChoices):
    SAML = "saml", _("SAML 2.0")
    OIDC = "oidc", _("OpenID Connect")


class IdentityProvider(models.Model):
    """One association's membership system. What it says at each sign-in sets the person's
    membership (``commerce.memberships``); its subject, never the e-mail, links accounts."""

    association = models.OneToOneField(
        "organizations.Organization",
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="identity_provider",
        limit_choices_to={"kind": "association"},
    )
    name = models.CharField(
        _("name"),
        max_length=80,
        help_text=_('Shown on the sign-in button: "Sign in with …", e.g. "MyAssociation".'),
    )
    protocol = models.CharField(
        _("protocol"), max_length=8, choices=Protocol.choices, default=Protocol.SAML
    )
    enabled = models.BooleanField(
        _("on"), default=False, help_text=_("Members can sign in with it on the site.")
    )
    # SAML: the IdP's metadata, or the three things it holds.
    idp_metadata_xml = models.TextField(
        _("IdP metadata XML"),
        blank=True,
        help_text=_("Paste the metadata your membership system publishes, or fill in the three "
                    "fields below instead."),
    )  # fmt: skip
    idp_entity_id = models.CharField(_("IdP entity ID"), max_length=500, blank=True)
    idp_sso_url = models.URLField(_("IdP sign-in (SSO) URL"), max_length=500, blank=True)
    idp_certificate = models.TextField(
        _("IdP signing certificate"), blank=True, help_text=_("PEM, with or without its header.")
    )
    allow_idp_initiated = models.BooleanField(
        _("accept sign-ins started at the membership system"),
        default=False,
        help_text=_("Off unless your membership system cannot start from Attune's button."),
    )
    # OpenID Connect.
    oidc_issuer = models.URLField(_("issuer URL"), max_length=500, blank=True)
    oidc_client_id = models.CharField(_("client ID"), max_length=200, blank=True)
    oidc_secret_encrypted = models.TextField(blank=True, editable=False)
    # What the assertion or ID token says, by attribute or claim name.
    subject_attribute = models.CharField(
        _("subject attribute"),
        max_length=200,
        blank=True,
        help_text=_("Empty: the SAML NameID (persistent) or the OpenID Connect 'sub'. Otherwise "
                    "the attribute holding the member's lasting ID."),
    )  # fmt: skip
    email_attribute = models.CharField(_("e-mail attribute"), max_length=200, default="email")
    first_name_attribute = models.CharField(
        _("first name attribute"), max_length=200, default="given_name", blank=True
    )
    last_name_attribute = models.CharField(
        _("last name attribute"), max_length=200, default="family_name", blank=True
    )
    status_attribute = models.CharField(
        _("membership status attribute"), max_length=200, default="membership_status", blank=True
    )
    active_values = models.CharField(
        _("values meaning an active member"),
        max_length=500,
        default="active",
        help_text=_("Separated by commas, e.g. active, grace. Compared without case."),
    )
    expiry_attribute = models.CharField(
        _("membership expiry attribute"),
        max_length=200,
        blank=True,
        help_text=_("A date (YYYY-MM-DD). Empty or missing: the plan's length from today."),
    )
    membership_plan = models.ForeignKey(
        "commerce_memberships.MembershipPlan",
        verbose_name=_("membership plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The plan an active member holds. Empty: sign-in does not touch memberships."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("membership system sign-in")
        verbose_name_plural = _("membership system sign-ins")
        constraints = [
            models.CheckConstraint(
                condition=Q(protocol__in=Protocol.values), name="interop_sso_known_protocol"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.association})"

    def active_value_set(self) -> set[str]:
        return {v.strip().casefold() for v in self.active_values.split(",") if v.strip()}


class ExternalIdentity(models.Model):
    """A person as a membership system knows them: one subject per connection, one account."""

    provider = models.ForeignKey(
        IdentityProvider, on_delete=models.CASCADE, related_name="identities"
    )
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="interop_sso_one_account_per_subject"
            ),
            models.UniqueConstraint(
                fields=["provider", "user"], name="interop_sso_one_subject_per_account"
            ),
        ]

    def __str__(self):
        return f"{self.subject} @ {self.provider_id}"


class SeenAssertion(models.Model):
    """A SAML assertion already used, kept until it expires: the same one sent again is a
    replay."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="+")
    assertion_id = models.CharField(max_length=255)
    not_on_or_after = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "assertion_id"], name="interop_sso_assertion_used_once"
            )
        ]

    def __str__(self):
        return self.assertion_id


class ReceivedResponse(models.Model):
    """A SAMLResponse as posted by the membership system's page, held for the moment it
    takes the browser to come back by GET. The post comes from another site, so the browser
    sends no session cookie with it (SameSite=Lax); the GET that follows carries it, and the
    answer is checked there, against the requests that session started. Used once."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    saml_response = models.TextField()
    relay_state = models.CharField(max_length=1000, blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return self.token[:8]
