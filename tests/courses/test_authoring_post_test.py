"""The post-test of a training is chosen with Wagtail's chooser, stored as the identifier
learners' pages read, and pages saved with a typed identifier keep working."""

from django.urls import reverse

from courses.blocks import QuizReferenceBlock
from courses.models import WebinarPage
from lms.organizations.models import Role
from tests.courses.factories import member, training
from tests.courses.learning import quiz


def test_a_typed_identifier_and_a_chosen_post_test_are_the_same_value(great_lakes):
    chosen = quiz(great_lakes, "attachment-post-test", title="Attachment post-test")
    block = QuizReferenceBlock()
    saved = block.to_python({"quiz": "attachment-post-test", "label": "Post-test"})
    assert saved["quiz"] == "attachment-post-test"

    # The editor's chooser posts the post-test's id; the block keeps its identifier.
    quiz_block = block.child_blocks["quiz"]
    assert quiz_block.value_from_form(str(chosen.pk)) == "attachment-post-test"
    assert quiz_block.clean("attachment-post-test") == "attachment-post-test"
    assert quiz_block.get_prep_value("attachment-post-test") == "attachment-post-test"
    assert "Attachment post-test" in quiz_block.get_form_state("attachment-post-test").values()


def test_the_webinar_editor_offers_a_chooser_of_the_associations_own_post_tests(
    client, great_lakes, prairie
):
    quiz(great_lakes, "attachment-post-test", title="Attachment post-test")
    quiz(prairie, "prairie-post-test", title="Prairie post-test")
    webinar = training(great_lakes, "Attachment webinar", kind="webinar")
    webinar.post_test = [("quiz", {"quiz": "attachment-post-test", "label": "Post-test"})]
    webinar.save_revision()
    client.force_login(member(great_lakes, Role.EDITOR))

    edit = client.get(reverse("wagtailadmin_pages:edit", args=(webinar.pk,)))
    assert edit.status_code == 200
    page = edit.content.decode()
    assert "Attachment post-test" in page  # the chooser shows the chosen post-test by name

    chooser = client.get(reverse("wagtailsnippetchoosers_courses_quiz:choose")).content.decode()
    assert "Attachment post-test" in chooser and "Prairie post-test" not in chooser
    draft = WebinarPage.objects.get(pk=webinar.pk).get_latest_revision_as_object()
    assert draft.post_test[0].value["quiz"] == "attachment-post-test"
