"""Registers courses' admin with Wagtail; everything registered lives in ``courses.admin``."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from .admin import (
    archive,
    caption_gate,
    editor_checks,
    learning,
    library,
    page_views,
    snippet_translations,
    translations,
)
from .models import (
    AttunePage,
    CatalogIndexPage,
    HomePage,
    LessonPage,
    LibraryModule,
    TrainingPage,
)
from .selectors.page_reads import page_reads

register_permission_policy(LibraryModule, library.library_module_policy())
register_snippet(library.LibraryModuleViewSet)
hooks.register("register_admin_menu_item", library.module_usage_menu_item)

hooks.register("before_edit_page", editor_checks.warn_editors_about_training)
hooks.register("before_bulk_action", editor_checks.refuse_bulk_publishing_incomplete_training)
hooks.register("construct_page_chooser_queryset", editor_checks.hide_other_associations_drafts)
hooks.register("before_serve_page", editor_checks.hide_private_cohorts)
hooks.register("insert_editor_js", editor_checks.allocation_total_script)

# Recordings need captions a person checked before their trainings go live, or an exception.
hooks.register("before_edit_page", caption_gate.warn_about_caption_gaps)
hooks.register("register_admin_urls", caption_gate.admin_urls)

# Learners' work is never deleted with a page: trainings are archived, their ancestors refused.
hooks.register("before_delete_page", archive.archive_instead_of_deleting)
hooks.register("before_bulk_action", archive.refuse_bulk_deleting_learners_work)
hooks.register("before_delete_snippet", archive.refuse_deleting_snippets_work_depends_on)
hooks.register("before_edit_page", archive.warn_about_archived_training)
hooks.register("register_admin_urls", archive.admin_urls)
# Translating: only pages of one's own association (before wagtail-localize's own views).
hooks.register("register_admin_urls", translations.admin_urls, order=-1)
hooks.register("construct_reports_menu", translations.hide_translations_report)
hooks.register("register_admin_menu_item", archive.archive_menu_item)

for model in learning.EDITED_MODELS:
    register_permission_policy(model, learning.editing_policy(model))
register_snippet(learning.LearningGroup)
# Translating post-tests and surveys: only one's own organization's.
snippet_translations.install()
hooks.register("register_admin_menu_item", learning.learning_reports_menu_item)

for viewset in page_views.page_viewsets((HomePage, CatalogIndexPage, TrainingPage, LessonPage)):
    hooks.register("register_admin_viewset", lambda viewset=viewset: viewset)


@hooks.register("before_serve_page", order=1)
def share_served_page(page, request, serve_args, serve_kwargs):
    """After the checks that may refuse the page (previews do not come this way): the page's
    playback checks use this instance, and its view restrictions read once (see
    ``courses.models.serving``), rather than reading the saved page again."""
    if isinstance(page, AttunePage):
        page.share_view_restrictions()
        page_reads(request).serving(page)
