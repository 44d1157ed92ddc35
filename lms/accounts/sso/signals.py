"""``site_sign_in_apps``: sent by ``adapters.SocialAccountAdapter.list_apps`` with the
request; a receiver returns the extra client registrations (unsaved ``SocialApp``) the host
serving it offers, e.g. an association's membership system (``interop.sso``). A receiver
that serves such an app also handles its sign-in (allauth's ``pre_social_login`` signal)."""

from django.dispatch import Signal

site_sign_in_apps = Signal()
