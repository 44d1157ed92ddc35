"""Evidence that is written once: the error raised on a change, and the base of rows that
are only ever added."""

from django.db import models


class ImmutableRecordError(Exception):
    """Raised when code tries to change or delete evidence that has been issued."""


class AppendOnly(models.Model):
    """Rows that are written once with their record and never changed or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ImmutableRecordError(f"{self._meta.verbose_name} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError(f"{self._meta.verbose_name} rows are append-only.")
