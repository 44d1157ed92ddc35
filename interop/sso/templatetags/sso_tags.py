"""``{% membership_sign_in as ams %}``: the "Sign in with <membership system>" button of the
association whose site the sign-in is for (its own host, or the platform's sign-in page
opened from it), or None."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from lms.accounts.sso.clients import site_id_in_sign_in

from .. import saml
from ..models import Protocol
from ..selectors import provider_for_request, provider_for_site_id

register = template.Library()


@register.simple_tag(takes_context=True)
def membership_sign_in(context):
    request = context.get("request")
    if request is None:
        return None
    next_url = request.GET.get("next", "")
    site_id = site_id_in_sign_in(next_url)
    if site_id is not None:  # the platform's page, for that site: start on the site
        provider = provider_for_site_id(site_id=site_id)
        prefix, next_url = (saml.site_root(provider) if provider else ""), "/"
    else:
        provider = provider_for_request(request=request)
        prefix = ""
        next_url = next_url if next_url.startswith("/") and not next_url.startswith("//") else "/"
    if provider is None:
        return None
    start = (
        "interop_sso:saml_login" if provider.protocol == Protocol.SAML else "interop_sso:oidc_login"
    )
    url = prefix + reverse(start) + "?" + urlencode({"next": next_url})
    return {"name": provider.name, "url": url}
