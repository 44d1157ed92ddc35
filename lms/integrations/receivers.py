"""Listeners: records announce what happens to them, applications announce decisions; the
association's system hears of it through webhooks. A failure here is logged and never undoes
the record or the decision that caused it."""

import logging

from django.db import transaction
from django.dispatch import receiver

from lms.endorsement.signals import application_decided
from lms.integrations import webhooks
from lms.records.signals import record_amended, record_issued, record_revoked

from .models import WebhookEventType
from .tasks import queue_due_on_commit

logger = logging.getLogger(__name__)


def _safely(what: str, work) -> None:
    try:
        with transaction.atomic():
            work()
    except Exception:
        logger.exception("Could not queue webhooks for %s", what)


RECORD_EVENTS = {
    record_issued: WebhookEventType.RECORD_ISSUED,
    record_amended: WebhookEventType.RECORD_AMENDED,
    record_revoked: WebhookEventType.RECORD_REVOKED,
}


def on_record_changed(sender, record, signal, amendment=None, **kwargs):
    def work():
        if webhooks.record_changed(record=record, type=RECORD_EVENTS[signal], amendment=amendment):
            queue_due_on_commit()

    _safely(f"record {record.pk}", work)


for _signal in RECORD_EVENTS:
    _signal.connect(on_record_changed, dispatch_uid=f"integrations_{RECORD_EVENTS[_signal]}")


@receiver(application_decided, dispatch_uid="integrations_application_decided")
def on_application_decided(sender, application, decision, **kwargs):
    def work():
        if webhooks.application_decided(application=application, decision=decision):
            queue_due_on_commit()

    _safely(f"application {application.pk}", work)
