"""The language to write a person's documents and e-mails in."""

from django.conf import settings
from django.utils import translation

from lms.accounts.selectors import preferred_language


def document_language(person) -> str:
    """The language to write ``person``'s documents (exports, e-mails) in: the one they
    chose in their profile when the site offers it, otherwise the language active now (in a
    view, the one the page is shown in; in a task, the site's default)."""
    offered = {code for code, _name in settings.LANGUAGES}
    chosen = preferred_language(user=person) if person is not None else ""
    if chosen in offered:
        return chosen
    try:
        return translation.get_supported_language_variant(translation.get_language() or "")
    except LookupError:
        return settings.LANGUAGE_CODE
