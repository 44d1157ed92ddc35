"""Colour contrast by WCAG 2.x: relative luminance and contrast ratio, and the two checks an
association's brand colours must pass. Pure: no database, no Django but for the messages."""

import math
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WHITE = "#ffffff"
DARK_TEXT = "#111111"  # near-black text drawn on a light brand colour
AA_NORMAL_TEXT = 4.5

HEX = re.compile(r"^#([0-9a-fA-F]{6})$")


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a ``#rrggbb`` colour, from 0 (black) to 1 (white)."""
    match = HEX.match(colour)
    if match is None:
        raise ValueError(f"Not a #rrggbb colour: {colour!r}")
    digits = match.group(1)
    r, g, b = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """(L1 + 0.05) / (L2 + 0.05) with L1 the lighter: from 1 (same) to 21 (black on white)."""
    a, b = relative_luminance(first), relative_luminance(second)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_on(colour: str) -> str:
    """White or near-black, whichever reads better on ``colour``."""
    if contrast_ratio(colour, WHITE) >= contrast_ratio(colour, DARK_TEXT):
        return WHITE
    return DARK_TEXT


def shown(ratio: float) -> str:
    """The ratio as people write it, rounded down so a refused 4.49 never reads 4.5:1."""
    return f"{math.floor(ratio * 10) / 10:.1f}"


def validate_background_colour(colour: str) -> None:
    """A header or button colour: the text drawn on it (white or near-black, whichever reads
    better) must reach WCAG AA for normal text."""
    if not HEX.match(colour or ""):
        return  # the format validator names that error
    on_white = contrast_ratio(colour, WHITE)
    on_dark = contrast_ratio(colour, DARK_TEXT)
    if max(on_white, on_dark) < AA_NORMAL_TEXT:
        raise ValidationError(
            _(
                "Contrast %(white)s:1 with white text and %(dark)s:1 with dark text; WCAG AA "
                "needs %(needed)s:1. Choose a darker or a lighter colour."
            )
            % {"white": shown(on_white), "dark": shown(on_dark), "needed": AA_NORMAL_TEXT},
            code="contrast",
        )


def validate_colour_on_white(colour: str) -> None:
    """A colour drawn on the white page (links, outlined buttons, highlights): it must reach
    WCAG AA for normal text against white."""
    if not HEX.match(colour or ""):
        return
    ratio = contrast_ratio(colour, WHITE)
    if ratio < AA_NORMAL_TEXT:
        raise ValidationError(
            _(
                "Contrast %(ratio)s:1 with the white page; WCAG AA needs %(needed)s:1 for "
                "links and text. Choose a darker colour."
            )
            % {"ratio": shown(ratio), "needed": AA_NORMAL_TEXT},
            code="contrast",
        )
