"""Post-tests, surveys and access codes in Wagtail's admin, scoped to the editor's own
organizations."""

from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from courses.models import AccessCode, Quiz
from lms.organizations.models import Role
from tests.courses.factories import association, member, training
from tests.courses.learning import quiz


def test_editors_author_quizzes_for_their_own_association_only(client, great_lakes, prairie):
    editor = member(great_lakes, Role.EDITOR)
    theirs = quiz(prairie, "prairie-quiz", title="Prairie post-test")
    client.force_login(editor)

    assert "Learning reports" in client.get(reverse("wagtailadmin_home")).content.decode()
    add = reverse("wagtailsnippets_courses_quiz:add")
    assert client.get(add).status_code == 200
    data = nested_form_data(
        {
            "title": "Attachment post-test",
            "slug": "attachment-post-test",
            "organization": great_lakes.pk,
            "pass_mark_percent": "75",
            "max_attempts": "2",
            "shuffle": "on",
            "feedback": "wrong",
            "reveal_answers": "last_attempt",
            "questions": streamfield([]),
        }
    )
    assert client.post(add, data).status_code == 302
    assert Quiz.objects.get(slug="attachment-post-test").pass_mark_percent == 75
    data["organization"] = prairie.pk
    data["slug"] = "sneaky"
    client.post(add, data)
    assert not Quiz.objects.filter(slug="sneaky").exists()

    listing = client.get(reverse("wagtailsnippets_courses_quiz:list")).content.decode()
    assert "Attachment post-test" in listing and "Prairie post-test" not in listing
    edit = reverse("wagtailsnippets_courses_quiz:edit", args=[theirs.pk])
    assert client.get(edit).status_code in (403, 302)


def test_access_codes_accept_only_own_trainings(client, great_lakes):
    own = training(great_lakes, "Own course")
    other = training(association("north"), "Other course")
    client.force_login(member(great_lakes, Role.EDITOR))
    add = reverse("wagtailsnippets_courses_accesscode:add")
    response = client.post(
        add,
        {"code": "GL-2026", "label": "", "organization": great_lakes.pk, "training": other.pk,
         "max_uses": "", "expires_at": "", "active": "on"},
    )  # fmt: skip
    assert response.status_code == 200 and not AccessCode.objects.exists()
    client.post(
        add,
        {"code": "GL-2026", "label": "", "organization": great_lakes.pk, "training": own.pk,
         "max_uses": "", "expires_at": "", "active": "on"},
    )  # fmt: skip
    assert AccessCode.objects.get().training_id == own.pk
