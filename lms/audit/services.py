from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Replace

from .context import current_request
from .models import AuditAction, AuditEvent


def _request_actor_and_ip(request):
    if request is None:
        return None, None
    user = getattr(request, "user", None)
    actor = user if user is not None and user.is_authenticated else None
    # The address the request came from as this server saw it (behind a proxy, the proxy's
    # address unless the proxy is configured to pass the client's address through).
    return actor, request.META.get("REMOTE_ADDR") or None


def record_event(
    *,
    action: AuditAction,
    organization=None,
    target: models.Model | None = None,
    target_repr: str = "",
    details: dict | None = None,
    actor=None,
    request=None,
) -> AuditEvent:
    """Add one entry to the audit log. The actor and IP address default to those of the
    request being served (none for a task or command)."""
    request_actor, ip = _request_actor_and_ip(request or current_request())
    actor = actor if actor is not None else request_actor
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditEvent.objects.create(
        action=AuditAction(action),
        actor=actor,
        actor_repr=getattr(actor, "email", "") or "",
        organization=organization,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=(target_repr or (str(target) if target is not None else ""))[:200],
        details=details or {},
        ip=ip,
    )


def export_details(request) -> dict:
    """What an export of other people's data covered: the page it came from and its filters."""
    return {"export": request.path, "query": request.GET.urlencode()}


def pseudonymise_person(*, user_id: int, label: str, texts: list[str]) -> int:
    """Replace a person's name and e-mail in the log's text with ``label`` once their data was
    erased. The one change the log allows: the entries stay, with the same actions, times,
    organizations and ids; only the words that identify the person go. Returns how many
    entries changed."""
    texts = sorted({t for t in texts if t and len(t) >= 3}, key=len, reverse=True)
    # QuerySet.update itself, past the append-only guard, for this one lawful change.
    update = models.QuerySet.update
    changed = update(AuditEvent.objects.filter(actor_id=user_id), actor_repr=label)
    changed += update(
        AuditEvent.objects.filter(target_type="accounts.user", target_id=str(user_id)),
        target_repr=label,
    )
    for text in texts:
        changed += update(
            AuditEvent.objects.filter(target_repr__icontains=text),
            target_repr=Replace("target_repr", Value(text), Value(label)),
        )
        changed += update(AuditEvent.objects.filter(Q(actor_repr__iexact=text)), actor_repr=label)
    return changed


def events_about(*, user_id: int):
    """Entries the person did, or that were about them."""
    return AuditEvent.objects.filter(
        Q(actor_id=user_id) | Q(target_type="accounts.user", target_id=str(user_id))
    )
