"""The demo associations' brands: colours that pass the admin's contrast checks and a logo
drawn here with Pillow (a mark and the short name), stored as a Wagtail image in the
association's collection. Idempotent: an existing logo or an admin's colours are kept."""

import io
from dataclasses import dataclass

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images.models import Image

from courses.services.access import media_collection
from lms.organizations.contrast import validate_background_colour, validate_colour_on_white
from lms.organizations.models import AssociationBranding, Organization


@dataclass(frozen=True)
class DemoBrand:
    colour: str  # header and buttons
    accent: str  # links and highlights on white
    tagline: str
    mark: str  # "waves" or "sun"


BRANDS = {
    "great-lakes": DemoBrand(
        "#1f4e79", "#b5532a", "Relationships first, for every baby in the region", "waves"
    ),
    "prairie": DemoBrand("#5a3b1c", "#2f6b4f", "Growing strong roots in the early years", "sun"),
}
LOGO_SIZE = (480, 160)


def _font(size: int):
    for name in ("DejaVuSans-Bold.ttf", "Arial Bold.ttf", "LiberationSans-Bold.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def logo_png(*, short_name: str, brand: DemoBrand) -> bytes:
    """A wide logo on white: a round mark in the brand's colours, then the short name."""
    image = PILImage.new("RGB", LOGO_SIZE, "white")
    draw = ImageDraw.Draw(image)
    colour, accent = _hex(brand.colour), _hex(brand.accent)
    draw.ellipse((16, 16, 144, 144), fill=colour)
    if brand.mark == "waves":
        for y in (60, 84, 108):
            draw.arc((36, y - 22, 80, y + 10), 200, 340, fill="white", width=7)
            draw.arc((80, y - 22, 124, y + 10), 200, 340, fill="white", width=7)
    else:
        draw.ellipse((54, 40, 106, 92), fill=accent)
        draw.rectangle((30, 100, 130, 112), fill="white")
    draw.text((164, 80), short_name, fill=colour, font=_font(60), anchor="lm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _logo(org: Organization, brand: DemoBrand) -> Image:
    title = f"{org.display_name} logo"
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    data = logo_png(short_name=org.display_name, brand=brand)
    return Image.objects.create(
        title=title,
        file=ImageFile(io.BytesIO(data), name=f"{org.slug}-logo.png"),
        collection=media_collection(organization=org),
    )


def load_demo_branding(*, organizations: dict[str, Organization]) -> dict[str, AssociationBranding]:
    found = {}
    for slug, brand in BRANDS.items():
        validate_background_colour(brand.colour)  # the demo keeps the rule it shows
        validate_colour_on_white(brand.accent)
        org = organizations[slug]
        logo = _logo(org, brand)
        branding, _ = AssociationBranding.objects.get_or_create(
            site=org.site,
            defaults={
                "brand_colour": brand.colour,
                "accent_colour": brand.accent,
                "tagline": brand.tagline,
                "logo": logo,
            },
        )
        if branding.logo_id is None:
            branding.logo = logo
            branding.save(update_fields=["logo"])
        if org.logo_id is None:
            org.logo = logo
            org.save(update_fields=["logo"])
        found[slug] = branding
    return found
