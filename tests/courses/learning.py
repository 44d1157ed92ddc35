"""Helpers for learning tests: recordings (rows only, no media), quizzes, webinars with rules."""

import itertools

from courses.models import Quiz
from media_pipeline.models import Recording
from tests.courses.factories import training

_numbers = itertools.count(1)


def recording(owner, *, duration=600.0, title="Reading a baby's cues", audio=False):
    """A recording row with a known duration; accounting needs nothing else. Probed as
    video only unless ``audio``: with no audio stream it needs no captions to be published
    (one with audio needs a caption track a person checked, see courses.selectors.captions)."""
    streams = [{"codec_type": "video"}] + ([{"codec_type": "audio"}] if audio else [])
    return Recording.objects.create(
        owner=owner,
        title=title,
        duration=duration,
        source=f"recordings/test-{next(_numbers)}/source/original.mp4",
        probe={"streams": streams},
        audio_codec="aac" if audio else "",
    )


def question(prompt, answers, *, kind="single", feedback=""):
    """``answers``: (text, correct) pairs."""
    return (
        "question",
        {
            "kind": kind,
            "prompt": prompt,
            "choices": [{"text": text, "correct": correct} for text, correct in answers],
            "feedback": feedback,
        },
    )


STANDARD_QUESTIONS = [
    question(
        "Serve and return describes…",
        [("Back-and-forth exchanges", True), ("A tennis drill", False), ("Sleep training", False)],
        feedback="Responsive exchanges build the brain's architecture.",
    ),
    question(
        "Which are signs of a baby's engagement cues?",
        [("Looking at the caregiver", True), ("Smiling", True), ("Turning away", False)],
        kind="multiple",
    ),
    question(
        "Reflective supervision is only for clinicians.",
        [("True", False), ("False", True)],
        kind="true_false",
    ),
    question("A baby's cry is…", [("Communication", True), ("Manipulation", False)]),
    question(
        "Co-regulation comes before self-regulation.",
        [("True", True), ("False", False)],
        kind="true_false",
    ),
]


def quiz(org, slug="cues-post-test", *, questions=None, **fields):
    return Quiz.objects.create(
        organization=org,
        slug=slug,
        title=fields.pop("title", "Cues post-test"),
        questions=questions if questions is not None else STANDARD_QUESTIONS,
        **fields,
    )


def correct_answers(the_quiz) -> dict[str, list[str]]:
    from courses.services.quizzes import questions_of

    return {
        qid: [c.id for c in q.choices if c.correct] for qid, q in questions_of(the_quiz).items()
    }


def webinar(org, rec=None, *, title="Reading a baby's cues", quiz_slug=None, **fields):
    """A published webinar showing ``rec`` with an optional required post-test."""
    if rec is not None:
        fields["recording"] = [("recording", rec)]
    if quiz_slug:
        fields["post_test"] = [
            ("quiz", {"quiz": quiz_slug, "label": "Post-test", "required_to_complete": True})
        ]
    fields.setdefault("hours", {"TF": "1", "DSS": "0.5"})
    return training(org, title, kind="webinar", **fields)
