"""Writes: an association's store settings, the connection test, and queueing statements.

Queueing only writes rows (in the caller's transaction) and, once it commits, asks for a
queueing pass; the LRS is called by a worker (``delivery``), never in a learner's request."""

import json
import logging
from dataclasses import dataclass

import urllib3
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.models import ConsentScope
from lms.audit.models import AuditAction
from lms.audit.services import record_event
from lms.integrations import webhooks
from lms.integrations.tokens import check_manager
from lms.records.links import public_base_url, verification_url

from . import secrets, statements
from .delivery import auth_headers
from .models import LearningRecordStore, StatementStatus, XapiStatement, XapiVersion
from .selectors import stores_for
from .tasks import queue_on_commit

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------
# The store's settings


@transaction.atomic
def save_store(
    *,
    association,
    by,
    endpoint: str,
    key: str,
    secret: str = "",
    version: str = XapiVersion.V1_0_3,
    is_active: bool = False,
    share_email: bool = False,
) -> LearningRecordStore:
    """Create or change the association's store. An empty ``secret`` keeps the stored one."""
    check_manager(association=association, by=by)
    endpoint = (endpoint or "").strip()
    errors = {}
    try:
        webhooks.check_url(endpoint)
    except webhooks.UnsafeURL as exc:
        errors["endpoint"] = [str(exc)]
    if not (key or "").strip():
        errors["key"] = [_("Give the key (user name) the LRS gave you.")]
    if version not in XapiVersion.values:
        errors["version"] = [_("Choose an xAPI version.")]
    store = LearningRecordStore.objects.select_for_update().filter(association=association).first()
    if not secret and (store is None or not store.secret_encrypted):
        errors["secret"] = [_("Give the secret the LRS gave you.")]
    if errors:
        raise ValidationError(errors)
    store = store or LearningRecordStore(association=association)
    before = {"endpoint": store.endpoint, "is_active": store.is_active} if store.pk else {}
    store.endpoint, store.key = endpoint, key.strip()
    store.version, store.is_active, store.share_email = version, is_active, share_email
    if secret:
        store.secret_encrypted = secrets.encrypt(secret)
    store.updated_by = by
    try:
        with transaction.atomic():
            store.save()
    except IntegrityError as exc:
        # Another administrator created the store at the same moment: theirs stands.
        raise ValidationError(_("Someone saved this store at the same time: try again.")) from exc
    if not is_active:
        _cancel(store.statements.all(), reason="The store was switched off.")
    record_event(
        action=AuditAction.LRS_CONFIGURED,
        organization=association,
        target=store,
        actor=by,
        details={
            "endpoint": endpoint,
            "version": version,
            "is_active": is_active,
            "share_email": share_email,
            "secret_changed": bool(secret),
            "before": before,
        },
    )
    return store


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    message: str


def _versions(about: str) -> str:
    """The versions an LRS's /about lists ("" if it says nothing readable)."""
    try:
        listed = json.loads(about or "{}").get("version", [])
    except (ValueError, AttributeError):
        return ""
    return ", ".join(str(v) for v in listed) if isinstance(listed, list) else ""


def test_connection(*, store: LearningRecordStore, by) -> ConnectionCheck:
    """GET the store's /about, then one statement query with the credentials."""
    check_manager(association=store.association, by=by)
    try:
        status, body = webhooks._post(store.about_url, None, {"User-Agent": "Attune-xAPI/1"}, "GET")
        versions = _versions(body) if status == 200 else ""
        status, _body = webhooks._post(
            store.statements_url + "?limit=1", None, auth_headers(store), "GET"
        )
    except webhooks.UnsafeURL as exc:
        return ConnectionCheck(False, str(exc))
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        return ConnectionCheck(False, _("Could not reach the LRS: %(error)s") % {"error": exc})
    except secrets.SecretUnreadable:
        return ConnectionCheck(False, _("The stored secret cannot be read: enter it again."))
    if status in (401, 403):
        return ConnectionCheck(False, _("The LRS refused the key and secret."))
    if not 200 <= status < 300:
        return ConnectionCheck(False, _("The LRS answered HTTP %(status)s.") % {"status": status})
    if versions:
        return ConnectionCheck(
            True, _("Connected. The LRS speaks xAPI %(versions)s.") % {"versions": versions}
        )
    return ConnectionCheck(True, _("Connected: the LRS accepted the key and secret."))


# ---------------------------------------------------------------------------------------------
# Queueing


def _home_page(association) -> str:
    site = getattr(association, "site", None)
    return (site.root_url if site is not None else public_base_url()) or public_base_url()


def _queue(*, learner, association_id, build) -> int:
    """One row per statement per store of the association the learner shares with.
    ``build(store)`` returns the statements for that store. Returns the rows made."""
    stores = stores_for(learner_id=learner.pk, association_id=association_id)
    rows = []
    now = timezone.now()
    who = statements.Learner(pk=learner.pk, email=getattr(learner, "email", "") or "")
    for store in stores:
        target = statements.Store(
            association_id=store.association_id,
            home_page=_home_page(store.association),
            share_email=store.share_email,
        )
        for body in build(target, who):
            rows.append(
                XapiStatement(
                    store=store,
                    learner_id=learner.pk,
                    statement_id=body["id"],
                    verb=body["verb"]["display"]["en-US"],
                    body=body,
                    next_attempt_at=now,
                )
            )
    if rows:
        # The statement id is derived from the event: a second beat or a retry adds nothing.
        XapiStatement.objects.bulk_create(rows, ignore_conflicts=True)
        queue_on_commit()
    return len(rows)


def record_video_event(*, learner, association_id, event: statements.VideoEvent) -> int:
    return _queue(
        learner=learner,
        association_id=association_id,
        build=lambda store, who: [
            statements.video_statement(store=store, learner=who, event=event)
        ],
    )


def record_post_test(*, learner, association_id, result: statements.PostTestResult) -> int:
    return _queue(
        learner=learner,
        association_id=association_id,
        build=lambda store, who: statements.post_test_statements(
            store=store, learner=who, result=result
        ),
    )


def record_training_completed(*, record) -> int:
    """A record was issued: ``completed`` for the training, to the providing association."""
    association_id = record.provider_organization_id
    if association_id is None:
        return 0
    url = record.training_url or verification_url(record)
    completion = statements.TrainingCompletion(
        key=str(record.pk),
        training=statements.Activity(id=url, name=record.title),
        hours=float(record.duration_hours or 0) or None,
    )
    return _queue(
        learner=record.learner,
        association_id=association_id,
        build=lambda store, who: [
            statements.completion_statement(store=store, learner=who, completion=completion)
        ],
    )


def _cancel(queryset, *, reason: str) -> int:
    return queryset.filter(status=StatementStatus.PENDING).update(
        status=StatementStatus.CANCELLED, next_attempt_at=None, last_error=reason
    )


def consent_withdrawn(*, learner_id, association_id, scope: str) -> int:
    """The learner stopped sharing learning activity: drop what was not sent yet."""
    if scope != ConsentScope.LEARNING_ACTIVITY:
        return 0
    return _cancel(
        XapiStatement.objects.filter(learner_id=learner_id, store__association_id=association_id),
        reason="The learner no longer shares learning activity with the association.",
    )
