"""Endorsement data for the demo: every association gets the shipped default rules.

Called by the demo loader after the associations exist (``make run`` runs it through
``load_demo``); idempotent like the loader it calls.
"""

from lms.endorsement.services.requirements import DefaultsResult, load_requirement_defaults


def load_demo_requirements() -> DefaultsResult:
    """Give each association (the demo's great-lakes and prairie among them) the default
    requirement sets it does not have yet."""
    return load_requirement_defaults()
