"""Who may watch a recording, and who may manage recordings in the admin.

``media_pipeline`` imports nothing from Attune's apps; settings name what it calls here:

- ``MEDIA_PIPELINE_PLAYBACK_AUTHORIZER = "courses.recording_access.may_watch"``
- ``MEDIA_PIPELINE_PERMISSION_POLICY = "courses.recording_access.RecordingPermissionPolicy"``

Where a recording is used comes from Wagtail's reference index (StreamField blocks and
foreign keys of pages and library modules alike), plus, for staff, the latest drafts of
pages on their own sites.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils.functional import cached_property
from wagtail.models import Page, ReferenceIndex

from lms.organizations.admin import OrganizationScopedPolicy
from lms.organizations.permissions import Action
from lms.organizations.selectors import can_anywhere, organizations_where, user_can

from .models import (
    Enrollment,
    EnrollmentStatus,
    LessonPage,
    LibraryModule,
    TrainingPage,
    WebinarPage,
)
from .selectors.ownership import association_for_page
from .selectors.page_reads import PageReads, page_reads

# Staff of an organization who may watch its recordings and those its pages use.
STAFF_ACTIONS = (Action.MANAGE_MEDIA, Action.EDIT_TRAINING, Action.REVIEW_TRAINING)
# Where pages keep recording blocks (named "recording" in every stream).
RECORDING_STREAMS = {WebinarPage: "recording", LessonPage: "body"}


class RecordingPermissionPolicy(OrganizationScopedPolicy):
    """Recordings are managed (uploaded, captioned, replaced, deleted) by those who may
    manage media in the owning organization."""

    def __init__(self, model):
        actions = dict.fromkeys(("add", "change", "delete", "view", "choose"), Action.MANAGE_MEDIA)
        super().__init__(model, actions=actions, owner_field="owner")

    def user_has_permission(self, user, action):
        # Asked once per row (for its buttons) by the admin's list: answer from memory. The
        # user object lives for one request, as the roles cached on it do.
        cache = user.__dict__.setdefault("_attune_recording_permissions", {})
        if action not in cache:
            cache[action] = super().user_has_permission(user, action)
        return cache[action]

    def owners_for(self, user):
        """Organizations the user may upload recordings for."""
        return organizations_where(user=user, action=Action.MANAGE_MEDIA)


def _page_ids(references) -> set[int]:
    page_type = ContentType.objects.get_for_model(Page)
    return {
        int(object_id)
        for object_id in references.filter(base_content_type=page_type).values_list(
            "object_id", flat=True
        )
    }


class RecordingUses:
    """Where a recording is used, each read made once however many checks ask: pages that
    show it (as saved: the live version of a published page, the draft of a never-published
    one), directly or through an embedded library module, and those modules.

    ``known_pages``: pages already read (by id), used instead of reading them again."""

    def __init__(self, recording, *, known_pages=None):
        self.recording = recording
        self.known_pages = known_pages or {}

    @cached_property
    def references(self) -> tuple[set[int], list[str]]:
        """Ids of the pages and of the library modules that show it directly (one query)."""
        page_type = ContentType.objects.get_for_model(Page)
        module_type = ContentType.objects.get_for_model(LibraryModule)
        page_ids, module_ids = set(), []
        rows = (
            ReferenceIndex.get_references_to(self.recording)
            .filter(base_content_type__in=(page_type, module_type))
            .values_list("base_content_type_id", "object_id")
        )
        for type_id, object_id in rows:
            if type_id == page_type.pk:
                page_ids.add(int(object_id))
            else:
                module_ids.append(object_id)
        return page_ids, module_ids

    @cached_property
    def pages(self) -> list[Page]:
        ids, module_ids = self.references
        ids = set(ids)
        if module_ids:
            module_type = ContentType.objects.get_for_model(LibraryModule)
            ids |= _page_ids(
                ReferenceIndex.objects.filter(
                    to_content_type=module_type, to_object_id__in=module_ids
                )
            )
        pages = [self.known_pages[pk] for pk in ids if pk in self.known_pages]
        unread = ids - self.known_pages.keys()
        if unread:
            pages += Page.objects.filter(pk__in=unread).specific()
        return sorted(pages, key=lambda page: page.path)

    @cached_property
    def modules(self) -> list[LibraryModule]:
        # The index keeps ids as text; PostgreSQL compares them to integers only once converted.
        ids = [int(object_id) for object_id in self.references[1]]
        return list(LibraryModule.objects.filter(pk__in=ids)) if ids else []

    @cached_property
    def public_trainings(self) -> list[TrainingPage]:
        """The live trainings, open to the public, that show it on a live page."""
        return [t for t in map(public_training_use, self.pages) if t is not None]


def pages_using(recording) -> list[Page]:
    """Pages that show the recording, directly or through an embedded library module (as
    saved: the live version of a published page, the draft of a never-published one)."""
    return RecordingUses(recording).pages


def _recording_ids(page) -> set[int]:
    stream = getattr(page, RECORDING_STREAMS.get(type(page), ""), None)
    if stream is None:
        return set()
    return {item["value"] for item in stream.raw_data if item.get("type") == "recording"}


def _draft_uses(recording, organizations) -> bool:
    """Whether the latest draft of a page on one of these organizations' sites shows it."""
    for organization in organizations.filter(site__isnull=False).select_related("site"):
        drafts = (
            Page.objects.descendant_of(organization.site.root_page)
            .filter(has_unpublished_changes=True)
            .type(*RECORDING_STREAMS)
        )
        for page in drafts.specific():
            if recording.pk in _recording_ids(page.get_latest_revision_as_object()):
                return True
    return False


def staff_may_watch(*, user, recording, uses: RecordingUses) -> bool:
    """Editors, reviewers and media managers of the owning organization, of an organization
    whose live or draft page shows the recording, or of a library module's owner."""
    if not getattr(user, "is_authenticated", False):
        return False
    # Each check below needs one of these actions somewhere (superusers have them all): a
    # learner without a staff role is answered from their memberships, read once per user.
    if not any(can_anywhere(user=user, action=a) for a in STAFF_ACTIONS):
        return False
    if any(user_can(user=user, action=a, organization=recording.owner) for a in STAFF_ACTIONS):
        return True
    owners = [association_for_page(page=page) for page in uses.pages]
    owners += [module.organization for module in uses.modules]
    if any(user_can(user=user, action=a, organization=o) for o in owners for a in STAFF_ACTIONS):
        return True
    staff_of = organizations_where(user=user, action=Action.EDIT_TRAINING) | organizations_where(
        user=user, action=Action.REVIEW_TRAINING
    )
    return _draft_uses(recording, staff_of)


def training_for(page) -> TrainingPage | None:
    """The training a page belongs to: itself, or a lesson's course."""
    if isinstance(page, TrainingPage):
        return page
    if isinstance(page, LessonPage):
        parent = page.get_parent().specific
        return parent if isinstance(parent, TrainingPage) else None
    return None


def public_training_use(page) -> TrainingPage | None:
    """The live training, open to the public, that shows the recording on ``page``."""
    training = training_for(page)
    if training is None or not page.live or not training.live:
        return None
    if page.get_view_restrictions().exists():
        return None
    return training


def learner_may_watch(*, user, uses: RecordingUses, reads: PageReads | None = None) -> bool:
    """Learners enrolled in (or who completed) a live training that shows the recording on a
    live page without view restrictions. Waitlisted and cancelled enrollments do not count;
    free previews and staff are decided in ``may_watch``. ``reads``: enrollments the page
    has read already (a learner has at most one current enrollment per training)."""
    if not getattr(user, "is_authenticated", False):
        return False
    training_ids = {t.pk for t in uses.public_trainings}
    if reads is not None and training_ids:
        watching, training_ids = reads.watching(learner=user, training_ids=training_ids)
        if watching:
            return True
    return (
        bool(training_ids)
        and Enrollment.objects.filter(
            learner=user,
            training_id__in=training_ids,
            status__in=(EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED),
        ).exists()
    )


def may_watch(*, user, recording, request=None) -> bool:
    """The playback authorizer ``media_pipeline`` asks before issuing signed URLs. Any of
    three grounds lets the viewer watch; the cheapest is asked first, and on a page the
    enrollment and the page itself are those the page has read already."""
    if not getattr(user, "is_authenticated", False) and not recording.allow_preview:
        return False  # staff and learners are signed in; only a free preview plays for others
    reads = page_reads(request)
    uses = RecordingUses(recording, known_pages=reads.served)
    if learner_may_watch(user=user, uses=uses, reads=reads):
        return True
    # A free preview (a trailer, say) plays for anyone who can see the published page.
    if recording.allow_preview and uses.public_trainings:
        return True
    return staff_may_watch(user=user, recording=recording, uses=uses)
