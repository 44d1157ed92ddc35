"""An endpoint that keeps failing is disabled, and re-enabled by its association's admins.

Every attempt since ``failing_since`` failed (no answer, or an answer other than 2xx): once
that has lasted the disable window (``ATTUNE_WEBHOOK_DISABLE_AFTER_HOURS``, 72 by default)
Attune stops sending to the endpoint, says why on the integrations screen and e-mails the
association's admins. Nothing is cancelled: deliveries wait, events keep being recorded, and
"Re-enable" sends what waits (and what gave up during the outage) once each.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.accounts.selectors import preferred_language
from lms.audit.models import AuditAction
from lms.audit.services import record_event
from lms.integrations.tokens import check_manager
from lms.organizations.branding import brand_for_organization
from lms.organizations.mail import send_branded_mail_on_commit
from lms.organizations.models import Role
from lms.organizations.selectors import members_with_role
from lms.records.links import public_url

from .models import DeliveryStatus, WebhookEndpoint

logger = logging.getLogger(__name__)


def disable_window() -> datetime.timedelta:
    return datetime.timedelta(
        hours=float(getattr(settings, "ATTUNE_WEBHOOK_DISABLE_AFTER_HOURS", 72))
    )


def note_success(*, endpoint_id: int) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint_id, failing_since__isnull=False).update(
        failing_since=None
    )


def note_failure(*, endpoint_id: int, error: str) -> bool:
    """Count a failed attempt against the endpoint; ``True`` if this one disabled it."""
    now = timezone.now()
    WebhookEndpoint.objects.filter(pk=endpoint_id, failing_since__isnull=True).update(
        failing_since=now
    )
    endpoint = WebhookEndpoint.objects.select_related("association").get(pk=endpoint_id)
    if endpoint.disabled_at or now - endpoint.failing_since < disable_window():
        return False
    reason = _("Every delivery failed since %(since)s. The last error: %(error)s") % {
        "since": f"{endpoint.failing_since:%Y-%m-%d %H:%M} UTC",
        "error": error or _("no answer"),
    }
    # Only one of several workers failing at once disables it and sends the e-mail.
    if not WebhookEndpoint.objects.filter(pk=endpoint_id, disabled_at__isnull=True).update(
        disabled_at=now, disabled_reason=reason[:300]
    ):
        return False
    endpoint.disabled_at, endpoint.disabled_reason = now, reason[:300]
    logger.warning("Webhook endpoint %s disabled after failing since %s", endpoint.pk, now)
    record_event(
        action=AuditAction.WEBHOOK_ENDPOINT_DISABLED,
        organization=endpoint.association,
        target=endpoint,
        target_repr=endpoint.url,
        details={"reason": endpoint.disabled_reason},
    )
    _tell_admins(endpoint)
    return True


def _tell_admins(endpoint: WebhookEndpoint) -> None:
    """One e-mail per language the association's administrators chose (their profile's),
    English for those who chose none."""
    association = endpoint.association
    by_language: dict[str, set[str]] = {}
    admins = members_with_role(organization=association, role=Role.ADMIN).filter(is_active=True)
    for admin in admins.exclude(email=""):
        language = preferred_language(user=admin) or settings.LANGUAGE_CODE
        by_language.setdefault(language, set()).add(admin.email)
    if not by_language:
        return
    context = {
        "endpoint": endpoint,
        "association": association,
        "waiting": waiting_count(endpoint=endpoint),
        "window_days": round(disable_window().total_seconds() / 86400, 1),
        "link": public_url(reverse("integrations_admin:integrations")),
    }
    brand = brand_for_organization(association)
    for language, to in sorted(by_language.items()):
        with translation.override(language):
            send_branded_mail_on_commit(
                brand=brand,
                subject=_("Webhooks to %(url)s are switched off after failing")
                % {"url": endpoint.url},
                template="integrations/email/endpoint_disabled.txt",
                context=context,
                to=sorted(to),
            )


def _replayable(path: str = "") -> Q:
    """What a re-enable sends: everything pending, and what gave up while the endpoint was
    failing. ``path`` leads from the queried model to the deliveries (``"deliveries__"`` for
    endpoints); one definition serves the count shown, the e-mail and the re-enable."""
    endpoint = "" if path else "endpoint__"
    return Q(**{f"{path}status": DeliveryStatus.PENDING}) | Q(
        **{
            f"{path}status": DeliveryStatus.FAILED,
            f"{path}created_at__gte": F(f"{endpoint}failing_since"),
        }
    )


def waiting_count(*, endpoint: WebhookEndpoint) -> int:
    return endpoint.deliveries.filter(_replayable()).count()


def with_waiting(endpoints):
    """``endpoints`` annotated with ``waiting``: what a re-enable would send (one query)."""
    return endpoints.annotate(waiting=Count("deliveries", filter=_replayable("deliveries__")))


@transaction.atomic
def reenable_endpoint(*, endpoint: WebhookEndpoint, by) -> int:
    """Send to a disabled endpoint again: what waits is due now, with a fresh retry window.
    Returns how many deliveries are to be sent; the caller queues them."""
    check_manager(association=endpoint.association, by=by)
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if not endpoint.is_active:
        raise ValidationError(_("This endpoint is switched off; add it again to use it."))
    if endpoint.disabled_at is None:
        raise ValidationError(_("This endpoint is not disabled."))
    now = timezone.now()
    # The lease (``queued_until``) is kept: a message still on the broker is sent by the
    # worker that takes it, and no second one is queued meanwhile.
    replayed = endpoint.deliveries.filter(_replayable()).update(
        status=DeliveryStatus.PENDING, next_attempt_at=now, retry_from=now
    )
    endpoint.failing_since = endpoint.disabled_at = None
    endpoint.disabled_reason = ""
    endpoint.save(update_fields=["failing_since", "disabled_at", "disabled_reason"])
    record_event(
        action=AuditAction.WEBHOOK_ENDPOINT_REENABLED,
        organization=endpoint.association,
        target=endpoint,
        target_repr=endpoint.url,
        details={"replayed": replayed},
        actor=by,
    )
    return replayed
