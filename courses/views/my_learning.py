"""My learning: the learner's trainings in progress, completed and upcoming."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..selectors.learning import my_learning


@login_required
def my_learning_view(request):
    context = my_learning(learner=request.user)
    return render(request, "courses/learning/my_learning.html", context)
