from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "interop.sso"
    label = "interop_sso"
    verbose_name = _("Association sign-in")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from allauth.socialaccount.signals import pre_social_login

        from lms.accounts.sso.signals import site_sign_in_apps

        from . import oidc
        from .privacy import register

        register()

        site_sign_in_apps.connect(oidc.site_apps, dispatch_uid="interop_sso_site_apps")
        pre_social_login.connect(oidc.sign_in_member, dispatch_uid="interop_sso_sign_in")
