"""Two posts of the same new page at once (an autosave racing a click on Save, or a double
click): one page is made, the other post is told the slug is taken, and nobody sees a 500."""

import contextlib
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from courses.models import LessonPage
from courses.models.forms import LessonPageForm
from lms.organizations.models import Role
from tests.conftest import ensure_default_site
from tests.courses.factories import association, member, training


def lesson_form():
    return nested_form_data(
        {
            "title": "Serve and return",
            "slug": "serve-and-return",
            "duration_minutes": "20",
            "body": streamfield([]),
            "comments": {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"},
        }
    )


@pytest.mark.django_db(transaction=True)
def test_an_autosave_racing_a_save_makes_one_lesson_and_no_error(monkeypatch):
    from django.core.management import call_command

    ensure_default_site()
    call_command("load_framework", verbosity=0)
    great_lakes = association("great-lakes")
    course = training(great_lakes, "Attachment across the first year")
    editor = member(great_lakes, Role.EDITOR)
    add = reverse("wagtailadmin_pages:add", args=("courses", "lessonpage", course.pk))

    # Both posts pass the form's checks before either saves, unless creation is serialized
    # (then the first waits here alone until the barrier gives up, and the second arrives
    # after the first has saved).
    barrier = threading.Barrier(2)
    original_clean = LessonPageForm.clean

    def clean_then_meet(form):
        cleaned = original_clean(form)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=3)
        return cleaned

    monkeypatch.setattr(LessonPageForm, "clean", clean_then_meet)
    responses, errors = {}, []

    def post(kind):
        client = Client()
        client.force_login(editor)
        headers = {"HTTP_ACCEPT": "application/json"} if kind == "autosave" else {}
        try:
            responses[kind] = client.post(add, lesson_form(), **headers)
        except Exception as error:  # what a browser would see as a 500
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(kind,)) for kind in ("autosave", "save")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    assert all(r.status_code < 500 for r in responses.values())
    assert LessonPage.objects.child_of(course).filter(slug="serve-and-return").count() == 1
    refused = [
        r for r in responses.values() if r.status_code == 200 and "json" not in r["Content-Type"]
    ]
    autosave = responses["autosave"]
    if refused:  # the click on Save came second: its form says why
        assert "already in use" in refused[0].content.decode()
    else:  # the autosave came second and was told in its own terms
        assert autosave.status_code == 400 and autosave.json()["success"] is False
