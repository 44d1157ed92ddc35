"""Form data for Wagtail's page editor, as a browser would post it."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data

from lms.competencies.models import CompetencyArea


def training_form(
    *,
    title="Attachment across the first year",
    contact_hours="2",
    rows=None,
    facilitators=(),
    provider=None,
    action=None,
    **extra,
):
    """``rows`` are (area code, hours) pairs; ``action`` is publish, submit or None (save)."""
    areas = {a.code: a.pk for a in CompetencyArea.objects.all()}
    rows = rows if rows is not None else [("TF", "1.5"), ("REF", "0.5")]
    data = {
        "title": title,
        "slug": extra.pop("slug", "attachment-first-year"),
        "summary": "How secure attachment develops, and how to support it.",
        "delivery_format": "self_paced",
        "level": "introductory",
        "contact_hours": contact_hours,
        "provider": provider.pk if provider else "",
        "area_hours": inline_formset(
            [{"area": areas[code], "hours": hours} for code, hours in rows]
        ),
        "facilitator_links": inline_formset(
            [{"facilitator": f.pk, "role": ""} for f in facilitators]
        ),
        "credit_offers": inline_formset([]),
        "comments": inline_formset([]),
        **extra,
    }
    form = nested_form_data(data)
    if action:
        form[f"action-{action}"] = "1"
    return form
