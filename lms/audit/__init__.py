"""The append-only audit log: the ``AuditEvent`` model and ``services.record_event()``.

The lowest app: it imports nothing of ours, so every app may record what people did. Who
may read the log (``lms.organizations.audit_report``) and the role changes recorded from
membership signals (``lms.organizations.receivers``) live above it.
"""
