"""My learning: the learner's trainings as cards, in progress, upcoming and completed."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..selectors.learning_cards import CARD_IMAGE, learning_cards


@login_required
def my_learning_view(request):
    context = learning_cards(learner=request.user)
    context["card_image"] = CARD_IMAGE
    return render(request, "courses/learning/my_learning.html", context)
