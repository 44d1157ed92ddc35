"""The facts the credit rules (``courses.credit_rules``) read about a training: its required
post-tests and their questions, and the credit it offers (for the editor's form, the publish
gate and the training's public page)."""

from django.apps import apps
from django.utils import timezone

from ..credit_rules import PostTests, offer_errors
from ..models.quizzes import Quiz
from .quizzes import canonical_only

# The page models are looked up by name: they use this module in their forms and publish gate.
COURSE, WEBINAR, EVENT = "coursepage", "webinarpage", "liveeventpage"


def quiz_question_counts(*, slugs, owners) -> dict[str, int]:
    """Slug -> questions of the canonical post-test of that name in the owners' quiz banks
    (the association's own wins over the provider's, as for learners)."""
    owners = [o for o in owners if o is not None]
    if not slugs or not owners:
        return {}
    quizzes = canonical_only(
        Quiz.objects.filter(slug__in=set(slugs), organization__in=owners)
    ).only("slug", "organization_id", "questions")
    counts: dict[str, int] = {}
    for quiz in sorted(quizzes, key=lambda q: q.organization_id != owners[0].pk):
        counts.setdefault(quiz.slug, len(quiz.questions.raw_data))
    return counts


def _required_in(raw_blocks, modules: dict) -> list[str]:
    """Slugs of the required quizzes in a stream's stored blocks, and in the library modules
    it embeds (as ``selectors.learning`` reads them for learners)."""
    slugs = []
    for item in raw_blocks or []:
        value = item.get("value")
        if item.get("type") == "quiz" and value and value.get("quiz"):
            if value.get("required_to_complete", True):
                slugs.append(value["quiz"])
        elif item.get("type") == "module" and value in modules:
            slugs += _required_in(modules[value].body.raw_data, {})
    return slugs


def _course_quiz_slugs(course) -> list[str]:
    lessons = list(
        apps.get_model("courses", "LessonPage").objects.child_of(course).live().order_by("path")
    )
    module_ids = {
        item["value"]
        for lesson in lessons
        for item in lesson.body.raw_data
        if item.get("type") == "module" and isinstance(item.get("value"), int)
    }
    modules = apps.get_model("courses", "LibraryModule").objects.in_bulk(module_ids)
    return [slug for lesson in lessons for slug in _required_in(lesson.body.raw_data, modules)]


def required_post_tests(*, training, association, post_test=None, require_post_test=None):
    """The post-tests a learner must pass to complete ``training``: for a webinar those its
    ``post_test`` stream (the form's, when given) marks required, for a course those of its
    published lessons, for a live event none."""
    if training._meta.model_name not in (COURSE, WEBINAR, EVENT) and training.pk:
        training = training.specific
    kind = training._meta.model_name
    if require_post_test is None:
        require_post_test = training.require_post_test
    if not require_post_test or kind == EVENT:
        return PostTests(required=False)
    if kind == WEBINAR:
        stream = training.post_test if post_test is None else post_test
        slugs = [
            block.value["quiz"]
            for block in stream or []
            if block.block_type == "quiz"
            and block.value.get("quiz")
            and block.value.get("required_to_complete")
        ]
    elif kind == COURSE and training.pk:
        slugs = _course_quiz_slugs(training)
    else:
        slugs = []
    slugs = list(dict.fromkeys(slugs))
    if not slugs:
        return PostTests(required=False)
    counts = quiz_question_counts(slugs=slugs, owners=[association, training.provider])
    return PostTests(
        required=True, questions=sum(counts.get(slug, 0) for slug in slugs), quizzes=len(slugs)
    )


def credit_offer_errors(*, page) -> list[str]:
    """What stops ``page`` (a training, possibly an unsaved revision) offering its credit."""
    offers = [o for o in page.credit_offers.all() if o.kind_id]
    if not offers:
        return []
    association = page.owning_association
    post_tests = required_post_tests(training=page, association=association)
    errors = []
    for offer in offers:
        errors += offer_errors(
            kind=offer.kind,
            amount=offer.amount,
            association=association,
            contact_hours=page.contact_hours,
            post_tests=post_tests,
            today=timezone.localdate(),
            is_course=page._meta.model_name == COURSE,
        )
    return errors
