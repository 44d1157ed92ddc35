"""E-mails Attune sends on an association's behalf, in its brand: the sender reads
"GLAIMH via Attune", the subject starts with its short name, and an HTML part shows its logo
and colour around the same words as the plain-text part."""

from email.utils import formataddr, parseaddr
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .branding import PLATFORM, Brand


def _public_base() -> str:
    return getattr(settings, "ATTUNE_PUBLIC_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL


def absolute_logo_url(brand: Brand) -> str:
    """The logo's address as a mail reader fetches it: on the association's own host."""
    if not brand.logo_url:
        return ""
    base = brand.home_url if brand.home_url.startswith("http") else _public_base()
    return urljoin(base.rstrip("/") + "/", brand.logo_url)


def sender(brand: Brand) -> str:
    if brand.is_platform:
        return settings.DEFAULT_FROM_EMAIL
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    name = _("%(association)s via Attune") % {"association": brand.short_name}
    return formataddr((name, address))


def branded_subject(brand: Brand, subject: str) -> str:
    if brand.is_platform or subject.startswith(brand.short_name):
        return subject
    return f"{brand.short_name}: {subject}"


def branded_message(
    *, brand: Brand | None, subject: str, template: str, context: dict, to: list[str]
) -> EmailMultiAlternatives:
    """The message from ``template`` (plain text), with the brand in its context, and the
    same text in the brand's HTML layout."""
    brand = brand or PLATFORM
    context = {**context, "brand": brand}
    body = render_to_string(template, context)
    html = render_to_string(
        "organizations/email/layout.html",
        {"brand": brand, "body": body, "logo_url": absolute_logo_url(brand), "subject": subject},
    )
    message = EmailMultiAlternatives(branded_subject(brand, subject), body, sender(brand), list(to))
    message.attach_alternative(html, "text/html")
    return message


def send_branded_mail(
    *, brand: Brand | None, subject: str, template: str, context: dict, to: list[str]
) -> None:
    """Send now (the caller decides when: inside a transaction when a row records it)."""
    branded_message(brand=brand, subject=subject, template=template, context=context, to=to).send()


def send_branded_mail_on_commit(
    *, brand: Brand | None, subject: str, template: str, context: dict, to: list[str]
) -> None:
    """Rendered now, sent once the transaction commits (never for a rolled-back change)."""
    message = branded_message(
        brand=brand, subject=subject, template=template, context=context, to=to
    )
    transaction.on_commit(message.send)


def send_branded_messages(messages: list[EmailMultiAlternatives]) -> int:
    """Many messages over one connection to the mail server."""
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages)
