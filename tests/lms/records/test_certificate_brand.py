"""The certificate carries its issuer's brand: the association's name, logo and colour."""

import subprocess

import pytest
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from lms.organizations.models import AssociationBranding
from lms.records.documents import certificate_html, certificate_pdf
from lms.records.models import TrainingRecord
from tests.factories import UserFactory

from .factories import issue

pytestmark = pytest.mark.django_db


def _run(argv, data: bytes) -> str:
    return subprocess.run(argv, input=data, capture_output=True, check=True).stdout.decode()


def _brand(org, colour):
    logo = Image.objects.create(title=f"{org.slug} logo", file=get_test_image_file())
    AssociationBranding.objects.create(site=org.site, brand_colour=colour, logo=logo)


def test_certificate_pdf_carries_each_associations_name_logo_and_colour(
    great_lakes, prairie, tmp_path
):
    _brand(great_lakes, "#1f4e79")
    _brand(prairie, "#5a3b1c")
    learner = UserFactory(first_name="Rosa", last_name="Delgado")
    for org, colour, other in (
        (great_lakes, "#1f4e79", prairie),
        (prairie, "#5a3b1c", great_lakes),
    ):
        record = TrainingRecord.objects.get(
            pk=issue(learner, provider_organization=org, provider_name=org.name).pk
        )
        html = certificate_html(record)
        assert f"h1 {{ color: {colour};" in html
        assert f'alt="{org.name}"' in html
        assert 'class="logo" src="data:image/png;base64,' in html
        pdf = certificate_pdf(record)
        text = " ".join(_run(["pdftotext", "-layout", "-", "-"], pdf).split())
        assert f"Issued by {org.name} ({org.short_name})" in text
        assert other.name not in text
        path = tmp_path / f"{org.slug}.pdf"
        path.write_bytes(pdf)
        images = _run(["pdfimages", "-list", str(path)], b"").splitlines()[2:]
        assert images, "the logo is drawn in the PDF"


def test_a_certificate_not_issued_by_an_association_says_no_issuer(framework):
    record = TrainingRecord.objects.get(pk=issue(provider_organization=None).pk)
    assert "Issued by" not in certificate_html(record)
