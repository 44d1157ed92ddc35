"""Connecting a learning platform to an organization: the registration (issuer, client ID,
the platform's URLs), its deployments, and the URLs an admin enters in the platform."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from lti_tool.models import LtiDeployment, LtiRegistration

from lms.audit.models import AuditAction
from lms.audit.services import record_event

from ..models import PlatformConnection
from .keys import tool_key


def _deployment_ids(raw) -> list[str]:
    if isinstance(raw, str):
        raw = raw.replace(",", "\n").splitlines()
    return sorted({item.strip() for item in raw if item and item.strip()})


@transaction.atomic
def connect_platform(
    *,
    organization,
    name: str,
    issuer: str,
    client_id: str,
    auth_url: str,
    token_url: str,
    keyset_url: str,
    deployment_ids,
    by=None,
    require_deployment: bool = True,
) -> PlatformConnection:
    """Register a platform for ``organization``. The same issuer and client ID twice is
    refused (one connection per registration, whoever made the first)."""
    deployments = _deployment_ids(deployment_ids)
    if require_deployment and not deployments:
        raise ValidationError({"deployment_ids": [_("Enter at least one deployment ID.")]})
    tool_key()
    try:
        with transaction.atomic():
            registration = LtiRegistration.objects.create(
                name=name.strip()[:255],
                issuer=issuer.strip(),
                client_id=client_id.strip(),
                auth_url=auth_url.strip(),
                token_url=token_url.strip(),
                keyset_url=keyset_url.strip(),
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"client_id": [_("A platform with this issuer and client ID is already connected.")]}
        ) from exc
    connection = PlatformConnection.objects.create(
        organization=organization, registration=registration, created_by=by
    )
    set_deployments(connection=connection, deployment_ids=deployments, audit=False)
    _audit(connection, "connected", by=by, deployments=deployments)
    return connection


def _audit(connection: PlatformConnection, change: str, *, by=None, **details) -> None:
    registration = connection.registration
    record_event(
        action=AuditAction.LTI_PLATFORM_CHANGED,
        organization=connection.organization,
        target=connection,
        actor=by,
        details={
            "change": change,
            "issuer": registration.issuer,
            "client_id": registration.client_id,
            **details,
        },
    )


def set_deployments(
    *, connection: PlatformConnection, deployment_ids, by=None, audit: bool = True
) -> None:
    """The active deployments are exactly ``deployment_ids`` (others are switched off)."""
    wanted = _deployment_ids(deployment_ids)
    registration = connection.registration
    for deployment_id in wanted:
        LtiDeployment.objects.update_or_create(
            registration=registration, deployment_id=deployment_id, defaults={"is_active": True}
        )
    registration.deployments.exclude(deployment_id__in=wanted).update(is_active=False)
    if audit:
        _audit(connection, "deployments", by=by, deployments=wanted)


@transaction.atomic
def set_active(*, connection: PlatformConnection, active: bool, by=None) -> None:
    registration = connection.registration
    registration.is_active = active
    registration.save(update_fields=["is_active", "datetime_modified"])
    _audit(connection, "switched_on" if active else "switched_off", by=by)


def tool_urls(request, *, connection: PlatformConnection | None = None) -> dict[str, str]:
    """What the platform's administrator enters for Attune (absolute, on this host)."""
    absolute = request.build_absolute_uri
    login = reverse("interop_lti:login")
    if connection is not None:
        login = reverse("interop_lti:login_for", args=[connection.registration.uuid])
    return {
        "login": absolute(login),
        "launch": absolute(reverse("interop_lti:launch")),
        "deep_linking": absolute(reverse("interop_lti:launch")),
        "jwks": absolute(reverse("interop_lti:jwks")),
    }
