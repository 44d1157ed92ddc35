"""A training's Credits tab: editors offer their association's credit kinds, and each kind's
rules (association, approval, contact hours, post-test questions and score) are checked when
the editor saves and again before the training goes live, however it is published."""

import datetime
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, rich_text, streamfield

from courses.models import TrainingCreditOffer, WebinarPage
from courses.selectors.publication import publication_errors
from lms.organizations.models import Role
from lms.records.models import CreditKind
from tests.courses.admin_forms import training_form
from tests.courses.factories import member, site_path, training
from tests.courses.learning import question, quiz

SW_STATEMENT = "Approved by the Example State Board of Social Work (demo), provider 1187."


def social_work_ce(org, **fields):
    defaults = {
        "name": "Social work CE",
        "code": "sw-ce",
        "awarding_body": "Example State Board of Social Work",
        "certificate_statement": SW_STATEMENT,
        "approval_number": "SW-1187",
        "license_profession": "social_work",
        "minimum_score_percent": 80,
        "minimum_questions_per_hour": 10,
    }
    return CreditKind.objects.create(organization=org, **{**defaults, **fields})


def registry_hours(org, **fields):
    defaults = {
        "name": "Registry hours",
        "code": "registry",
        "awarding_body": "Example Early Childhood Registry",
        "certificate_statement": "Approved for registry training hours.",
    }
    return CreditKind.objects.create(organization=org, **{**defaults, **fields})


def questions(count):
    return [question(f"Question {n}", [("Right", True), ("Wrong", False)]) for n in range(count)]


def webinar_with_post_test(org, *, count, title="Ethics in home visiting"):
    quiz(org, "ethics-post-test", title="Ethics post-test", questions=questions(count))
    return training(
        org,
        title,
        kind="webinar",
        hours={"TF": "2", "REF": "1"},
        publish=False,
        post_test=[
            (
                "quiz",
                {"quiz": "ethics-post-test", "label": "Post-test", "required_to_complete": True},
            )
        ],
    )


def webinar_form(page, *, offers, post_test=True, action=None, **extra):
    """The webinar's edit form as the browser posts it, with ``offers`` on its Credits tab:
    (kind, amount, category) triples."""
    from courses.models import Quiz

    blocks = []
    if post_test:
        chosen = Quiz.objects.get(slug="ethics-post-test")
        blocks = [("quiz", {"quiz": chosen.pk, "label": "Post-test", "required_to_complete": "on"})]
    form = training_form(
        title=page.title,
        slug=page.slug,
        contact_hours=extra.pop("contact_hours", "3"),
        rows=[("TF", "2"), ("REF", "1")],
        facilitators=page.facilitators(),
        provider=page.provider,
        delivery_format="recorded_webinar",
        description=rich_text(""),
        recorded_on="",
        recording=streamfield([]),
        post_test=streamfield(blocks),
        require_post_test="on",
        credit_offers=inline_formset(
            [
                {"kind": kind.pk, "amount": amount, "approval_number": "", "category": category}
                for kind, amount, category in offers
            ]
        ),
        action=action,
        **extra,
    )
    for relation in ("area_hours", "facilitator_links"):  # the saved rows, as the editor posts
        for index, row in enumerate(getattr(page, relation).all()):
            form[f"{relation}-{index}-id"] = row.pk
        form[f"{relation}-INITIAL_FORMS"] = getattr(page, relation).count()
    return form


def edit(client, page, form):
    return client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), form)


def draft_offers(page):
    draft = WebinarPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    return [(o.kind.name, o.amount, o.category) for o in draft.credit_offers.all()]


def test_a_post_test_with_too_few_questions_for_the_credit_hours_is_refused_at_save(
    client, great_lakes
):
    sw = social_work_ce(great_lakes)
    registry = registry_hours(great_lakes)
    page = webinar_with_post_test(great_lakes, count=12)
    client.force_login(member(great_lakes, Role.EDITOR))

    offers = [(sw, "3.0", "ethics"), (registry, "3.0", "general")]
    response = edit(client, page, webinar_form(page, offers=offers))
    assert response.status_code == 200
    assert (
        "“Social work CE” needs at least 30 post-test questions for 3 credit hours; "
        "the post-test has 12." in unescape(response.content.decode())
    )
    assert draft_offers(page) == []  # nothing saved, not even the registry hours

    # Thirty questions meet the board's rule: the draft keeps both kinds.
    from courses.models import Quiz

    Quiz.objects.filter(slug="ethics-post-test").update(questions=questions(30))
    response = edit(client, page, webinar_form(page, offers=offers))
    assert response.status_code == 302, unescape(response.content.decode())
    assert draft_offers(page) == [
        ("Social work CE", Decimal("3.00"), "ethics"),
        ("Registry hours", Decimal("3.00"), "general"),
    ]


def test_a_minimum_score_without_a_required_post_test_is_refused(client, great_lakes):
    scored = social_work_ce(great_lakes, minimum_questions_per_hour=None)
    page = webinar_with_post_test(great_lakes, count=5)
    client.force_login(member(great_lakes, Role.EDITOR))

    response = edit(
        client, page, webinar_form(page, offers=[(scored, "3", "ethics")], post_test=False)
    )
    assert response.status_code == 200
    assert (
        "“Social work CE” asks for a post-test score of at least 80%, but the training has "
        "no required post-test, so no learner could earn it." in unescape(response.content.decode())
    )
    assert draft_offers(page) == []


def test_credit_beyond_the_contact_hours_is_refused(client, great_lakes):
    ceus = registry_hours(
        great_lakes, name="Nursing CEUs", code="ceu", unit="ceus", hours_per_unit=10
    )
    page = webinar_with_post_test(great_lakes, count=5)
    client.force_login(member(great_lakes, Role.EDITOR))

    response = edit(client, page, webinar_form(page, offers=[(ceus, "0.4", "general")]))
    assert response.status_code == 200
    assert (
        "0.4 Continuing education units (CEUs) of “Nursing CEUs” stand for 4 contact hours; "
        "the training has 3." in unescape(response.content.decode())
    )
    assert (
        edit(client, page, webinar_form(page, offers=[(ceus, "0.3", "general")])).status_code == 302
    )
    assert draft_offers(page) == [("Nursing CEUs", Decimal("0.30"), "general")]


def test_an_expired_approval_and_a_switched_off_kind_are_refused_with_the_reason(
    client, great_lakes
):
    lapsed = registry_hours(
        great_lakes, approved_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    page = webinar_with_post_test(great_lakes, count=5)
    client.force_login(member(great_lakes, Role.EDITOR))

    html = unescape(
        edit(client, page, webinar_form(page, offers=[(lapsed, "3", "general")])).content.decode()
    )
    assert "The approval of “Registry hours” ended on" in html
    assert "would not earn it" in html

    lapsed.approved_until = None
    lapsed.save()
    TrainingCreditOffer.objects.create(page=page, kind=lapsed, amount=3)
    WebinarPage.objects.get(pk=page.pk).save_revision()  # offered before it was switched off
    lapsed.is_active = False
    lapsed.save()
    form = webinar_form(page, offers=[(lapsed, "3", "general")])
    form["credit_offers-0-id"] = page.credit_offers.get().pk
    form["credit_offers-INITIAL_FORMS"] = 1
    html = unescape(edit(client, page, form).content.decode())
    assert f"{great_lakes.display_name} no longer offers “Registry hours”." in html


def test_the_credits_tab_offers_only_the_associations_active_kinds(client, great_lakes, prairie):
    registry_hours(great_lakes)
    social_work_ce(great_lakes, name="Retired social work CE", code="old", is_active=False)
    registry_hours(prairie, name="Prairie registry hours")
    page = webinar_with_post_test(great_lakes, count=5)
    client.force_login(member(great_lakes, Role.EDITOR))

    html = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert "Credit offered" in html
    assert "Registry hours (Example Early Childhood Registry)" in html
    assert "Retired social work CE" not in html
    assert "Prairie registry hours" not in html

    # Another association's kind cannot be posted either.
    other = CreditKind.objects.get(name="Prairie registry hours")
    response = edit(client, page, webinar_form(page, offers=[(other, "3", "general")]))
    assert response.status_code == 200
    assert draft_offers(page) == []


def test_a_kinds_attendance_rule_does_not_stop_a_webinar_offering_it(client, great_lakes):
    attended = registry_hours(great_lakes, minimum_attendance_percent=100)
    page = webinar_with_post_test(great_lakes, count=5)
    client.force_login(member(great_lakes, Role.EDITOR))
    response = edit(client, page, webinar_form(page, offers=[(attended, "3", "general")]))
    assert response.status_code == 302


def test_every_way_of_publishing_rechecks_the_credit_rules(great_lakes):
    sw = social_work_ce(great_lakes)
    page = webinar_with_post_test(great_lakes, count=12)
    # Rows written without the editor's form (an import, a script): the gate still reads them.
    TrainingCreditOffer.objects.create(page=page, kind=sw, amount=3, category="ethics")
    revision = WebinarPage.objects.get(pk=page.pk).save_revision()
    assert (
        "“Social work CE” needs at least 30 post-test questions for 3 credit hours; "
        "the post-test has 12." in publication_errors(page=revision.as_object())
    )
    with pytest.raises(ValidationError):
        revision.publish()
    page.refresh_from_db()
    assert not page.live


def test_the_training_page_shows_learners_the_credit_offered(client, great_lakes):
    sw = social_work_ce(great_lakes)
    registry = registry_hours(great_lakes)
    page = training(great_lakes, "Ethics in home visiting", kind="webinar", hours={"TF": "3"})
    TrainingCreditOffer.objects.create(page=page, kind=sw, amount=3, category="ethics")
    TrainingCreditOffer.objects.create(page=page, kind=registry, amount=Decimal("3.0"))

    response = client.get(site_path(page), HTTP_HOST=great_lakes.site.hostname)
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "Continuing-education credit" in html
    assert "Social work CE" in html and "Example State Board of Social Work" in html
    assert "3 contact hours" in html and "Ethics" in html
    assert "Registry hours" in html and "Example Early Childhood Registry" in html
    assert "SW-1187" in html


def test_a_course_counts_the_questions_of_its_published_lessons_post_tests(great_lakes):
    from courses.models import LessonPage

    sw = social_work_ce(great_lakes)
    quiz(great_lakes, "ethics-post-test", title="Ethics post-test", questions=questions(12))
    course = training(great_lakes, "Ethics across a course", hours={"TF": "3"}, publish=False)
    TrainingCreditOffer.objects.create(page=course, kind=sw, amount=3, category="ethics")
    lesson = course.add_child(
        instance=LessonPage(
            title="Closing quiz",
            body=[
                (
                    "quiz",
                    {
                        "quiz": "ethics-post-test",
                        "label": "Post-test",
                        "required_to_complete": True,
                    },
                )
            ],
        )
    )
    lesson.save_revision().publish()
    course.refresh_from_db()
    assert publication_errors(page=course.specific) == [
        "“Social work CE” needs at least 30 post-test questions for 3 credit hours; "
        "the post-test has 12."
    ]
    from courses.models import Quiz

    Quiz.objects.filter(slug="ethics-post-test").update(questions=questions(30))
    assert publication_errors(page=course.specific) == []
