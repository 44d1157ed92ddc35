"""Listeners: an issued record becomes a ``completed`` statement; a learner who stops
sharing learning activity has their unsent statements dropped. A failure here is logged and
never undoes the record or the consent change that caused it."""

import logging

from django.db import transaction

from lms.accounts.signals import consent_revoked
from lms.records.signals import record_issued

from . import services

logger = logging.getLogger(__name__)


def on_record_issued(sender, record, **kwargs):
    try:
        with transaction.atomic():
            services.record_training_completed(record=record)
    except Exception:
        logger.exception("Could not queue the xAPI completion of record %s", record.pk)


def on_consent_revoked(sender, user, organization, scope, **kwargs):
    services.consent_withdrawn(
        learner_id=user.pk, association_id=getattr(organization, "pk", organization), scope=scope
    )


record_issued.connect(on_record_issued, dispatch_uid="integrations_xapi_record_issued")
consent_revoked.connect(on_consent_revoked, dispatch_uid="integrations_xapi_consent_revoked")
