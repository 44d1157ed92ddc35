"""A record's own audit trail (``RecordEvent`` rows): issue, amendment, revocation,
co-signature and download. Every other service writes its events through ``add_record_event``."""

from ..models import RecordEvent


def add_record_event(record, kind, *, actor=None, **detail) -> RecordEvent:
    return RecordEvent.objects.create(record=record, kind=kind, actor=actor, detail=detail)


def log_download(*, record, actor, kind: str) -> None:
    add_record_event(record, kind, actor=actor)
