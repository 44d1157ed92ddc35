"""Keep Wagtail's groups in step with memberships, association sites under review,
reviewers told when a page awaits them, rendered catalogs fresh, and the search index in
step with what is said in the trainings' recordings."""

from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver
from wagtail.models import Locale, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move, task_submitted

from lms.competencies.models import CompetencyArea, CompetencyFramework, EndorsementCategory
from lms.organizations.models import Membership, Organization
from media_pipeline.signals import captions_changed

from .models import (
    CatalogIndexPage,
    CoursePage,
    CrossListing,
    HomePage,
    LessonPage,
    LiveEventPage,
    WebinarPage,
)
from .selectors.catalog import CATALOG
from .selectors.translations import forget_default_locale

post_save.connect(forget_default_locale, sender=Locale, dispatch_uid="courses_locale_saved")
post_delete.connect(forget_default_locale, sender=Locale, dispatch_uid="courses_locale_deleted")

# A rendered catalog is stale once a page is published, unpublished (deleting a live page
# unpublishes it first), moved or saved (an import adds live pages with no revision), or what
# its filters and cards name changes.
page_published.connect(CATALOG.advance, dispatch_uid="catalog_page_published")
page_unpublished.connect(CATALOG.advance, dispatch_uid="catalog_page_unpublished")
post_page_move.connect(CATALOG.advance, dispatch_uid="catalog_page_moved")
for _model in (
    Organization, CompetencyArea, CompetencyFramework, EndorsementCategory, Site,
    PageViewRestriction, CrossListing, CatalogIndexPage, CoursePage, WebinarPage, LiveEventPage,
):  # fmt: skip
    post_save.connect(
        CATALOG.advance, sender=_model, dispatch_uid=f"catalog_{_model.__name__}_saved"
    )
    post_delete.connect(
        CATALOG.advance, sender=_model, dispatch_uid=f"catalog_{_model.__name__}_deleted"
    )


@receiver(post_migrate, dispatch_uid="courses_translation_permission")
def translation_permission(sender, app_config=None, using="default", **kwargs):
    """After migrate or flush: the permission to start translations exists (editors' groups
    hold it; see ``services.access.ensure_translation_permission``)."""
    if app_config is None or app_config.label != "wagtail_localize":
        return
    from .services.access import ensure_translation_permission

    ensure_translation_permission(using=using)


@receiver(post_save, sender=Membership, dispatch_uid="courses_membership_saved")
def membership_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from .services.access import sync_organization_access, sync_user_groups

    sync_organization_access(organization=instance.organization)
    sync_user_groups(user=instance.user)


@receiver(post_delete, sender=Membership, dispatch_uid="courses_membership_deleted")
def membership_deleted(sender, instance, **kwargs):
    from .services.access import sync_user_groups

    sync_user_groups(user=instance.user)


@receiver(post_save, sender=HomePage, dispatch_uid="courses_home_page_saved")
def home_page_saved(sender, instance, created=False, raw=False, **kwargs):
    """A site's home page in a new language (a translation or alias) is the association's:
    its groups may edit that language's tree too."""
    if raw or not created:
        return
    from .services.access import sync_organization_access

    sites = Site.objects.filter(root_page__translation_key=instance.translation_key)
    for organization in Organization.objects.filter(site__in=sites):
        sync_organization_access(organization=organization)


@receiver(post_save, sender=Organization, dispatch_uid="courses_organization_saved")
def organization_saved(sender, instance, raw=False, **kwargs):
    """A site given to (or taken from) an association changes where its groups may edit."""
    if raw or not (instance.site_id or instance.role_groups.exists()):
        return
    from .services.access import sync_organization_access
    from .services.review import ensure_review_workflow

    sync_organization_access(organization=instance)
    ensure_review_workflow(organization=instance)


@receiver(task_submitted, dispatch_uid="courses_review_submitted")
def review_submitted(sender, instance, user=None, **kwargs):
    from .models import AssociationReviewTask
    from .services.review import notify_reviewers

    if isinstance(instance.task.specific, AssociationReviewTask):
        transaction.on_commit(lambda: notify_reviewers(task_state=instance, submitted_by=user))


@receiver(captions_changed, dispatch_uid="courses_captions_changed")
def captions_changed_reindex(sender, recording, language=None, **kwargs):
    """Search finds trainings by what is said in them: re-index the live trainings that show
    the recording (sent once the caption change is committed), and refresh catalogs."""
    from .search import reindex_trainings_showing

    reindex_trainings_showing(recording_id=recording.pk)


def lesson_published_reindex(sender, instance, **kwargs):
    from .search import reindex_course_of

    reindex_course_of(lesson=instance)


page_published.connect(
    lesson_published_reindex, sender=LessonPage, dispatch_uid="courses_lesson_published_reindex"
)
page_unpublished.connect(
    lesson_published_reindex, sender=LessonPage, dispatch_uid="courses_lesson_unpublished_reindex"
)
