"""The facts the credit rules (``courses.credit_rules``) read about a training: its required
post-tests and their questions, and the credit it offers (for the editor's form, the publish
gate and the training's public page)."""

from django.utils import timezone

from ..credit_rules import PostTests, offer_errors
from ..models import CoursePage, LiveEventPage, Quiz, TrainingPage, WebinarPage
from .learning import training_content
from .quizzes import canonical_only


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


def required_post_tests(*, training, association, post_test=None, require_post_test=None):
    """The post-tests a learner must pass to complete ``training``: for a webinar those its
    ``post_test`` stream (the form's, when given) marks required, for a course those of its
    published lessons, for a live event none."""
    if type(training) is TrainingPage and training.pk:
        training = training.specific
    if require_post_test is None:
        require_post_test = training.require_post_test
    if not require_post_test or isinstance(training, LiveEventPage):
        return PostTests(required=False)
    if isinstance(training, WebinarPage):
        stream = training.post_test if post_test is None else post_test
        slugs = [
            block.value["quiz"]
            for block in stream or []
            if block.block_type == "quiz"
            and block.value.get("quiz")
            and block.value.get("required_to_complete")
        ]
    elif isinstance(training, CoursePage) and training.pk:
        slugs = [quiz.slug for quiz in training_content(training=training).required_quizzes()]
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
            is_course=isinstance(page, CoursePage),
        )
    return errors
