"""The learners a training's unpublish confirmation names (Wagtail's screen, overridden in
``templates/wagtailadmin/pages/confirm_unpublish.html``)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from ..models import TrainingPage
from ..selectors.archive import training_learners

register = template.Library()


@register.simple_tag
def unpublish_warning(page) -> str:
    if not isinstance(page, TrainingPage):
        return ""
    learners = training_learners(training=page)
    if not learners.learners:
        return ""
    return format_html(
        '<p class="help-block help-warning"><strong>{}</strong> {}</p>',
        gettext("This training has %(learners)s.") % {"learners": learners.describe()},
        gettext(
            "Unpublished, it leaves the catalog and they cannot open it until it is "
            "published again; their enrollments and progress are kept."
        ),
    )
