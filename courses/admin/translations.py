"""Translating pages with wagtail-localize, within one association.

wagtail-localize lets anyone holding its model-wide "submit translation" permission start or
re-sync the translation of ANY page; its other views check the page. Attune's editors hold
that permission (courses/services/access.py), so these two screens answer at the same
addresses and first ask whether the person may edit the page, i.e. whether it is their
association's. Its translations report lists every association's pages: superusers only.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path
from wagtail.models import Page
from wagtail_localize.models import TranslationSource
from wagtail_localize.views.edit_translation import user_can_edit_instance
from wagtail_localize.views.report import TranslationsReportView
from wagtail_localize.views.submit_translations import SubmitPageTranslationView
from wagtail_localize.views.update_translations import UpdateTranslationsView


def submit_page_translation(request, page_id):
    page = get_object_or_404(Page, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return SubmitPageTranslationView.as_view()(request, page_id=page_id)


def update_translations(request, translation_source_id):
    source = get_object_or_404(TranslationSource, pk=translation_source_id)
    if not user_can_edit_instance(request.user, source.get_source_instance()):
        raise PermissionDenied
    return UpdateTranslationsView.as_view()(request, translation_source_id=translation_source_id)


def translations_report(request, results_only=False):
    if not request.user.is_superuser:
        raise PermissionDenied
    return TranslationsReportView.as_view(results_only=results_only)(request)


def hide_translations_report(request, menu_items):
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "translations"]


def admin_urls():
    # Registered before wagtail-localize's own (hook order -1): the same paths, checked first.
    return [
        path(
            "localize/submit/page/<int:page_id>/",
            submit_page_translation,
            name="attune_submit_page_translation",
        ),
        path(
            "localize/update/<int:translation_source_id>/",
            update_translations,
            name="attune_update_translations",
        ),
        path("localize/reports/translations/", translations_report, name="attune_translations"),
        path(
            "localize/reports/translations/results/",
            translations_report,
            {"results_only": True},
            name="attune_translations_results",
        ),
    ]
