"""What editors translate in a training, and what stays the source's.

wagtail-localize translates text (titles, summaries, descriptions, lesson bodies) by default,
also on home, catalog and lesson pages, and synchronises numbers, choices, links and child rows
(hours per area, facilitators) from the source. These text-like fields are facts too: the
recording, the post-test, the evaluation and the address stay those of the training.
"""

from wagtail_localize.fields import SynchronizedField

from .prices import PRICE_FIELDS

# Prices are the training's, whatever the language: synchronised, never translated.
TRAINING_FACTS = [
    SynchronizedField("evaluation_survey"),
    *(SynchronizedField(name) for name in PRICE_FIELDS),
]
WEBINAR_FACTS = [*TRAINING_FACTS, SynchronizedField("recording"), SynchronizedField("post_test")]
EVENT_FACTS = [*TRAINING_FACTS, SynchronizedField("location")]
