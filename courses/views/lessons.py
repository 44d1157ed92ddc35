"""Marking a course's lesson done."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from ..models import LessonPage
from ..services import enrollment as enrollment_services
from ..services.progress import mark_lesson_done
from .lookup import enrollment_or_403, published_training, return_url


@login_required
@require_POST
def lesson_done(request, lesson_id):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    course = published_training(lesson.get_parent().pk)
    enrollment = enrollment_or_403(request, course)
    try:
        mark_lesson_done(enrollment=enrollment, lesson=lesson)
    except enrollment_services.EnrollmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{lesson.title}” is done.")
    return redirect(lesson.url or return_url(course))
