"""StreamField blocks for post-test questions and evaluation surveys.

They live apart from ``blocks.py`` (lesson content) because quizzes and surveys are snippets
of their own; each block keeps the id Wagtail gives it, which attempts and answers refer to.
"""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError


class QuestionKind:
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    CHOICES = [
        (SINGLE, _("Multiple choice (one answer)")),
        (MULTIPLE, _("Multi-select (all that apply)")),
        (TRUE_FALSE, _("True or false")),
    ]


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)
    correct = blocks.BooleanBlock(required=False)

    class Meta:
        icon = "tick"
        label = _("Answer")


class QuestionBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(choices=QuestionKind.CHOICES, default=QuestionKind.SINGLE)
    prompt = blocks.TextBlock(help_text=_("The question as learners read it."))
    choices = blocks.ListBlock(
        ChoiceBlock(),
        required=False,
        help_text=_(
            "Tick the correct answers. True-or-false questions need exactly two answers, "
            "True and False."
        ),
    )
    feedback = blocks.TextBlock(
        required=False,
        help_text=_("Shown after the attempt is submitted: why the answer is right."),
    )

    class Meta:
        icon = "help"
        label = _("Question")

    def clean(self, value):
        value = super().clean(value)
        choices = value.get("choices") or []
        correct = sum(1 for choice in choices if choice.get("correct"))
        problem = None
        if len(choices) < 2:
            problem = gettext("Give at least two answers.")
        elif correct == 0:
            problem = gettext("Tick at least one correct answer.")
        elif value["kind"] != QuestionKind.MULTIPLE and correct != 1:
            problem = gettext("This kind of question has exactly one correct answer.")
        elif value["kind"] == QuestionKind.TRUE_FALSE and len(choices) != 2:
            problem = gettext("A true-or-false question has two answers.")
        if problem:
            raise StructBlockValidationError(non_block_errors=ErrorList([ValidationError(problem)]))
        return value


class LikertBlock(blocks.StructBlock):
    prompt = blocks.CharBlock(max_length=300, help_text=_("A statement rated from 1 to 5."))

    class Meta:
        icon = "list-ul"
        label = _("Rating (strongly disagree to strongly agree)")


class FreeTextBlock(blocks.StructBlock):
    prompt = blocks.CharBlock(max_length=300)
    required = blocks.BooleanBlock(required=False, default=False)

    class Meta:
        icon = "edit"
        label = _("Free text")


LIKERT_SCALE = [
    (1, _("Strongly disagree")),
    (2, _("Disagree")),
    (3, _("Neither agree nor disagree")),
    (4, _("Agree")),
    (5, _("Strongly agree")),
]


def question_blocks():
    return [("question", QuestionBlock())]


def survey_blocks():
    return [("likert", LikertBlock()), ("text", FreeTextBlock())]
