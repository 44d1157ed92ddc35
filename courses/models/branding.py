"""An association's branding of its site: a Wagtail site setting."""

from django.core.validators import RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a colour like #2f5d62.")


@register_setting(icon="image")
class AssociationBranding(BaseSiteSetting):
    """How an association's site looks: its logo and colours."""

    logo = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tagline = models.CharField(max_length=160, blank=True)
    brand_colour = models.CharField(
        max_length=7,
        default="#2f5d62",
        validators=[hex_colour],
        help_text="Header and button colour. Keep contrast with white text at 4.5:1 or more.",
    )
    accent_colour = models.CharField(max_length=7, default="#a7453a", validators=[hex_colour])

    panels = [
        FieldPanel("logo"),
        FieldPanel("tagline"),
        FieldRowPanel([FieldPanel("brand_colour"), FieldPanel("accent_colour")]),
    ]

    class Meta:
        verbose_name = "association branding"

    @classmethod
    def for_site(cls, site):
        """The site's branding, or the defaults unsaved: rendering a page never writes a row
        (Wagtail's own lookup creates one); saving it in the admin does."""
        if site is None:
            raise cls.DoesNotExist(f"{cls.__name__} does not exist for site None.")
        return cls.base_queryset().filter(site=site).first() or cls(site=site)
