"""What stops a row being deleted: Django's own deletion collector follows every app's
foreign keys and reports the protected rows that point at it. Admin screens use it to refuse
a delete with the reason instead of failing on ``ProtectedError``."""

from django.db import DEFAULT_DB_ALIAS
from django.db.models.deletion import Collector, ProtectedError, RestrictedError


def kept_kinds(*, objects) -> list[str]:
    """The kinds (plural verbose names) of rows that stop ``objects`` being deleted; empty
    when deleting them is safe."""
    collector = Collector(using=DEFAULT_DB_ALIAS)
    try:
        collector.collect(list(objects))
    except (ProtectedError, RestrictedError) as exc:
        blocking = getattr(exc, "protected_objects", None) or exc.restricted_objects
        return sorted({str(obj._meta.verbose_name_plural) for obj in blocking})
    return []
