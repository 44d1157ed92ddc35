"""Absolute links that leave the site: in e-mails, PDFs, QR codes and credentials."""

from django.conf import settings
from django.urls import reverse


def public_base_url() -> str:
    base = getattr(settings, "ATTUNE_PUBLIC_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/")


def public_url(path: str) -> str:
    return f"{public_base_url()}{path}"


def verification_url(record) -> str:
    return public_url(reverse("records:verify", args=[record.verification_id]))
