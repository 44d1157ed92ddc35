"""Registers the competency framework's admin screens (defined in ``admin``)."""

from wagtail.snippets.models import register_snippet

from .admin import CompetencyGroup

register_snippet(CompetencyGroup)
