"""Reads for association sign-in: which membership system serves a site, who a subject is."""

from wagtail.models import Site

from .models import ExternalIdentity, IdentityProvider


def provider_for_site(*, site: Site | None, protocol: str | None = None):
    """The switched-on membership system of the association whose site this is, or None."""
    if site is None:
        return None
    found = IdentityProvider.objects.select_related("association__site", "membership_plan")
    found = found.filter(association__site=site, association__kind="association", enabled=True)
    if protocol is not None:
        found = found.filter(protocol=protocol)
    return found.first()


def provider_for_request(*, request, protocol: str | None = None):
    return provider_for_site(site=Site.find_for_request(request), protocol=protocol)


def provider_for_site_id(*, site_id: int):
    return provider_for_site(site=Site.objects.filter(pk=site_id).first())


def linked_user(*, provider: IdentityProvider, subject: str):
    identity = (
        ExternalIdentity.objects.select_related("user")
        .filter(provider=provider, subject=subject)
        .first()
    )
    return identity.user if identity is not None else None
