"""How associations' own systems hear from Attune: API tokens, the read-only REST API, and
signed webhooks with their delivery log (and, as they come, LTI, xAPI and single sign-on).

It listens to what records and applications announce (``lms.records.signals``,
``lms.endorsement.signals``) and reads through their selectors; nothing below imports it.
"""
