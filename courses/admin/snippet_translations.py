"""Translating post-tests and evaluation surveys with wagtail-localize, within one
organization.

wagtail-localize asks only model-wide questions about snippets: anyone holding its "submit
translation" permission (every Attune editor, courses/services/access.py) may start the
translation of any snippet, and its translation editor (words, PO files, stopping) asks
whether the person holds Django's model permission to change that kind of snippet, which
Attune's editors do not hold: their organization's policy answers per object. ``install``
makes both ask the snippet's own policy about the one post-test or survey, as its edit
screen does. Pages and other snippets keep wagtail-localize's own checks.
"""

from django.core.exceptions import PermissionDenied
from wagtail.models import Page
from wagtail.permissions import policy_registry
from wagtail_localize.views import edit_translation
from wagtail_localize.views.submit_translations import SubmitSnippetTranslationView

from lms.organizations.admin import OrganizationScopedPolicy

_wagtail_localize_check = edit_translation.user_can_edit_instance
_wagtail_localize_get_object = SubmitSnippetTranslationView.get_object


def _scoped_policy(instance) -> OrganizationScopedPolicy | None:
    if isinstance(instance, Page):
        return None
    policy = policy_registry.get_by_type(type(instance))
    return policy if isinstance(policy, OrganizationScopedPolicy) else None


def may_translate(user, instance) -> bool:
    """Whether ``user`` may translate ``instance`` (start, edit, upload, stop)."""
    policy = _scoped_policy(instance)
    if policy is None:
        return _wagtail_localize_check(user, instance)
    return policy.user_has_permission_for_instance(user, "change", instance)


def _snippet_to_translate(view):
    instance = _wagtail_localize_get_object(view)
    policy = _scoped_policy(instance)
    if policy is not None and not policy.user_has_permission_for_instance(
        view.request.user, "change", instance
    ):
        raise PermissionDenied
    return instance


def install():
    """Called once when Wagtail loads ``courses.wagtail_hooks``."""
    edit_translation.user_can_edit_instance = may_translate
    SubmitSnippetTranslationView.get_object = _snippet_to_translate
