"""Marking a course's lesson done, and moving on to the next one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..models import LessonPage
from ..selectors.translations import canonical_page, presented
from ..services import enrollment as enrollment_services
from ..services.progress import mark_lesson_done
from .lookup import enrollment_or_403, published_training, return_url


@login_required
@require_POST
def lesson_done(request, lesson_id):
    # A Spanish lesson marks THE lesson of THE course done (progress keys on canonical pages).
    served = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    lesson = canonical_page(served)
    course = published_training(lesson.get_parent().pk)
    enrollment = enrollment_or_403(request, course)
    try:
        mark_lesson_done(enrollment=enrollment, lesson=lesson)
    except enrollment_services.EnrollmentError as error:
        messages.error(request, str(error))
        return redirect(served.url or return_url(course))
    messages.success(request, _("“%(title)s” is done.") % {"title": lesson.title})
    # Complete and continue: the next lesson; after the last, the lesson's own page offers
    # the course's next step (a lesson page is never a dead end).
    following = LessonPage.objects.live().sibling_of(lesson).filter(path__gt=lesson.path)
    following = following.order_by("path").first()
    # In the language of the lesson the learner was reading.
    following = presented(following, like=served) if following is not None else None
    return redirect((following.url if following else None) or served.url or return_url(course))
