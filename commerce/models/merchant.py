"""An association's Stripe account: each association is its own merchant.

The secret key and the webhook signing secret are stored only encrypted
(``commerce.secrets``); the publishable key is public by design (it goes to the browser).
An association without a row, without keys, or with online payments switched off takes no
new payments: free trainings still enroll as before and a paid checkout says payments are
not set up. Switched off, its keys still verify webhooks and make refunds, so payments
already under way settle and can be given back.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from commerce.secrets import decrypt, encrypt


class MerchantAccount(models.Model):
    association = models.OneToOneField(
        "organizations.Organization",
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="merchant_account",
    )
    publishable_key = models.CharField(_("publishable key"), max_length=255, blank=True)
    enabled = models.BooleanField(_("take payments online"), default=True)
    secret_key_encrypted = models.TextField(blank=True, editable=False)
    webhook_secret_encrypted = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("Stripe account")
        verbose_name_plural = _("Stripe accounts")

    def __str__(self):
        return str(self.association)

    @property
    def secret_key(self) -> str:
        return decrypt(self.secret_key_encrypted)

    @secret_key.setter
    def secret_key(self, value: str) -> None:
        self.secret_key_encrypted = encrypt(value)

    @property
    def webhook_secret(self) -> str:
        return decrypt(self.webhook_secret_encrypted)

    @webhook_secret.setter
    def webhook_secret(self, value: str) -> None:
        self.webhook_secret_encrypted = encrypt(value)

    @property
    def has_keys(self) -> bool:
        return bool(
            self.publishable_key and self.secret_key_encrypted and self.webhook_secret_encrypted
        )

    @property
    def is_configured(self) -> bool:
        """Takes new payments: keys set and online payments switched on."""
        return self.enabled and self.has_keys
