"""What a training's own page shows: hours per area as chart rows, facilitators, facts."""

from dataclasses import dataclass
from decimal import Decimal

from lms.numbers import localized

from ..pricing import price_tag

BAR_HEIGHT = 28
LABEL_WIDTH = 240
BAR_SPACE = 200


@dataclass(frozen=True)
class ChartRow:
    code: str
    name: str
    hours: Decimal
    share: float  # percent of the contact hours
    y: int
    width: float
    value_x: float


def area_chart_rows(*, rows, contact_hours: Decimal | None) -> list[ChartRow]:
    """Geometry for a horizontal bar chart: one bar per area, scaled to the largest."""
    rows = list(rows)
    largest = max((row.hours for row in rows), default=Decimal(0))
    total = contact_hours or sum((row.hours for row in rows), Decimal(0))
    return [
        ChartRow(
            code=row.area.code,
            name=row.area.localized_name,
            hours=row.hours,
            share=round(float(row.hours / total * 100), 1) if total else 0.0,
            y=i * BAR_HEIGHT,
            width=(width := round(float(row.hours / largest) * BAR_SPACE, 1) if largest else 0.0),
            value_x=LABEL_WIDTH + width + 6,
        )
        for i, row in enumerate(rows)
    ]


def training_context(*, page) -> dict:
    rows = page.ordered_area_hours()
    chart = area_chart_rows(rows=rows, contact_hours=page.contact_hours)
    return {
        "area_rows": chart,
        "chart_height": max(len(chart), 1) * BAR_HEIGHT,
        "chart_label_width": LABEL_WIDTH,
        "chart_width": LABEL_WIDTH + BAR_SPACE + 60,
        "chart_summary": "; ".join(f"{row.name}: {localized(row.hours)} h" for row in chart),
        "facilitator_links": list(page.facilitator_links.select_related("facilitator")),
        "categories": list(page.suitable_categories.all()),
        "sub_area_tags": list(page.sub_areas.select_related("area")),
        "price_tag": price_tag(training=page),
    }
