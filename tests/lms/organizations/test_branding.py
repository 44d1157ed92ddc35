"""An association's brand: its contrast checks, its admin form and the brand each request
is shown in."""

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from lms.organizations.branding import PLATFORM, brand_for_organization, brand_for_request
from lms.organizations.contrast import (
    DARK_TEXT,
    WHITE,
    contrast_ratio,
    text_colour_on,
    validate_background_colour,
    validate_colour_on_white,
)
from lms.organizations.mail import branded_message
from lms.organizations.models import AssociationBranding, Role
from tests.courses.factories import member


def test_contrast_ratio_follows_wcag():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#2f5d62", "#2f5d62") == pytest.approx(1)
    # Known values: #767676 is the lightest grey that passes AA on white, #777777 fails.
    assert contrast_ratio("#767676", WHITE) == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", WHITE) == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#ffffff", "#777777") == contrast_ratio("#777777", "#ffffff")


def test_text_on_a_brand_colour_is_white_or_near_black_whichever_reads_better():
    assert text_colour_on("#1f4e79") == WHITE
    assert text_colour_on("#f2c94c") == DARK_TEXT


def test_a_colour_neither_text_reads_on_is_refused_naming_the_ratios():
    with pytest.raises(ValidationError) as caught:
        validate_background_colour("#777777")
    message = caught.value.messages[0]
    assert "Contrast 4.4:1 with white text and 4.2:1 with dark text" in message
    assert "WCAG AA needs 4.5:1" in message
    validate_background_colour("#1f4e79")  # white text: 8.6:1
    validate_background_colour("#f2c94c")  # dark text


def test_a_link_colour_too_light_for_the_white_page_is_refused_naming_the_ratio():
    with pytest.raises(ValidationError) as caught:
        validate_colour_on_white("#f0a030")
    assert "Contrast 2.1:1 with the white page; WCAG AA needs 4.5:1" in caught.value.messages[0]
    validate_colour_on_white("#b5532a")


def _settings_url(org):
    return reverse(
        "wagtailsettings:edit", args=("organizations", "associationbranding", org.site.pk)
    )


def _form(**overrides):
    data = {
        "short_name": "GLAIMH",
        "logo": "",
        "tagline": "Relationships first",
        "brand_colour": "#1f4e79",
        "accent_colour": "#b5532a",
        "languages": ["en", "es"],
        "default_language": "en",
    }
    return {**data, **overrides}


def test_admin_form_refuses_a_low_contrast_colour_and_changes_nothing(client, great_lakes):
    client.force_login(member(great_lakes, Role.ADMIN))
    response = client.post(_settings_url(great_lakes), _form(brand_colour="#777777"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Contrast 4.4:1 with white text and 4.2:1 with dark text; WCAG AA needs 4.5:1" in html
    response = client.post(_settings_url(great_lakes), _form(accent_colour="#f0a030"))
    assert "Contrast 2.1:1 with the white page; WCAG AA needs 4.5:1" in response.content.decode()
    assert not AssociationBranding.objects.filter(site=great_lakes.site).exists()
    great_lakes.refresh_from_db()
    assert great_lakes.short_name == "GREAT-LA"


def test_admin_form_saves_colours_logo_and_the_organizations_short_name(client, great_lakes):
    logo = Image.objects.create(title="GLAIMH logo", file=get_test_image_file())
    client.force_login(member(great_lakes, Role.ADMIN))
    url = _settings_url(great_lakes)
    assert 'value="GREAT-LA"' in client.get(url).content.decode()
    response = client.post(url, _form(logo=logo.pk))
    assert response.status_code == 302
    branding = AssociationBranding.objects.get(site=great_lakes.site)
    assert (branding.brand_colour, branding.accent_colour, branding.logo) == (
        "#1f4e79",
        "#b5532a",
        logo,
    )
    great_lakes.refresh_from_db()
    assert great_lakes.short_name == "GLAIMH"


def _request(host):
    return RequestFactory().get("/", HTTP_HOST=host)


def test_brand_for_request_reads_the_association_setting_in_one_query(
    great_lakes, prairie, django_assert_max_num_queries
):
    logo = Image.objects.create(title="GLAIMH logo", file=get_test_image_file())
    logo.get_rendition("height-80")  # made once, as the first page view would
    AssociationBranding.objects.create(
        site=great_lakes.site, brand_colour="#f2c94c", accent_colour="#1f4e79", logo=logo
    )
    request = _request("great-lakes.localhost")
    Site.find_for_request(request)  # Wagtail's own site lookup is cached separately
    # The organization joined to its site, branding and logos; the rendition (often cached).
    with django_assert_max_num_queries(2):
        brand = brand_for_request(request)
        assert brand_for_request(request) is brand
    assert (brand.name, brand.short_name) == ("Great Lakes Association", "GREAT-LA")
    assert (brand.colour, brand.accent, brand.on_colour) == ("#f2c94c", "#1f4e79", DARK_TEXT)
    assert brand.link_colour == "#1f4e79"  # yellow is no link colour on white
    assert brand.logo_url.startswith("/") and "height-80" in brand.logo_url
    assert not brand.is_platform

    other = brand_for_request(_request("prairie.localhost"))
    assert (other.short_name, other.logo_url, other.is_platform) == ("PRAIRIE", "", False)
    assert brand_for_request(_request("localhost")) == PLATFORM


def test_an_organization_without_a_site_or_not_an_association_has_attunes_brand(great_lakes):
    assert brand_for_organization(None) == PLATFORM
    great_lakes.kind = "center"
    assert brand_for_organization(great_lakes) == PLATFORM


def test_an_email_on_an_associations_behalf_carries_its_name_logo_and_colour(great_lakes):
    logo = Image.objects.create(title="GLAIMH logo", file=get_test_image_file())
    AssociationBranding.objects.create(site=great_lakes.site, brand_colour="#1f4e79", logo=logo)
    brand = brand_for_organization(great_lakes)
    learner = {"email": "learner@example.org", "get_full_name": ""}
    context = {
        "reference": {"name": "Ann"},
        "application": {"association": great_lakes, "learner": learner},
    }
    message = branded_message(
        brand=brand,
        subject="Your IFS application: approved",
        template="endorsement/email/reference_void.txt",
        context=context,
        to=["learner@example.org"],
    )
    assert message.from_email.startswith("GREAT-LA via Attune <")
    assert message.subject == "GREAT-LA: Your IFS application: approved"
    assert "Great Lakes Association, through Attune" in message.body
    html = message.alternatives[0].content
    assert "background:#1f4e79;color:#ffffff" in html
    assert f'src="http://great-lakes.localhost{brand.logo_url}"' in html
    assert "Sent by Attune on behalf of Great Lakes Association." in html

    platform = branded_message(
        brand=None,
        subject="Hello",
        template="endorsement/email/reference_void.txt",
        context=context,
        to=["a@example.org"],
    )
    assert (platform.subject, "through Attune" in platform.body) == ("Hello", False)
