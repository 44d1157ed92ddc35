"""StreamField blocks for post-test questions and evaluation surveys.

They live apart from ``blocks.py`` (lesson content) because quizzes and surveys are snippets
of their own; each block keeps the id Wagtail gives it, which attempts and answers refer to.
"""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError


class QuestionKind:
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    CHOICES = [
        (SINGLE, "Multiple choice (one answer)"),
        (MULTIPLE, "Multi-select (all that apply)"),
        (TRUE_FALSE, "True or false"),
    ]


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)
    correct = blocks.BooleanBlock(required=False)

    class Meta:
        icon = "tick"
        label = "Answer"


class QuestionBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(choices=QuestionKind.CHOICES, default=QuestionKind.SINGLE)
    prompt = blocks.TextBlock(help_text="The question as learners read it.")
    choices = blocks.ListBlock(
        ChoiceBlock(),
        required=False,
        help_text="Tick the correct answers. True-or-false questions need exactly two answers, "
        "True and False.",
    )
    feedback = blocks.TextBlock(
        required=False, help_text="Shown after the attempt is submitted: why the answer is right."
    )

    class Meta:
        icon = "help"
        label = "Question"

    def clean(self, value):
        value = super().clean(value)
        choices = value.get("choices") or []
        correct = sum(1 for choice in choices if choice.get("correct"))
        problem = None
        if len(choices) < 2:
            problem = "Give at least two answers."
        elif correct == 0:
            problem = "Tick at least one correct answer."
        elif value["kind"] != QuestionKind.MULTIPLE and correct != 1:
            problem = "This kind of question has exactly one correct answer."
        elif value["kind"] == QuestionKind.TRUE_FALSE and len(choices) != 2:
            problem = "A true-or-false question has two answers."
        if problem:
            raise StructBlockValidationError(non_block_errors=ErrorList([ValidationError(problem)]))
        return value


class LikertBlock(blocks.StructBlock):
    prompt = blocks.CharBlock(max_length=300, help_text="A statement rated from 1 to 5.")

    class Meta:
        icon = "list-ul"
        label = "Rating (strongly disagree to strongly agree)"


class FreeTextBlock(blocks.StructBlock):
    prompt = blocks.CharBlock(max_length=300)
    required = blocks.BooleanBlock(required=False, default=False)

    class Meta:
        icon = "edit"
        label = "Free text"


LIKERT_SCALE = [
    (1, "Strongly disagree"),
    (2, "Disagree"),
    (3, "Neither agree nor disagree"),
    (4, "Agree"),
    (5, "Strongly agree"),
]


def question_blocks():
    return [("question", QuestionBlock())]


def survey_blocks():
    return [("likert", LikertBlock()), ("text", FreeTextBlock())]
