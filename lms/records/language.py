"""The language a learner's documents (certificates, transcripts) are rendered in."""

from django.conf import settings

from lms.accounts.selectors import preferred_language


def offered_language(language: str | None) -> str | None:
    """``language`` if Attune offers it ("es-mx" counts as "es"), otherwise None."""
    if not language:
        return None
    offered = {code for code, _name in settings.LANGUAGES}
    language = language.lower()
    for code in (language, language.split("-")[0]):
        if code in offered:
            return code
    return None


def document_language(*, user, fallback: str | None = None) -> str:
    """The learner's preferred language when Attune offers it; otherwise ``fallback`` (the
    language the learner is reading in when they download it themselves), otherwise the
    site's default. Whoever downloads a certificate, it speaks its learner's language."""
    return (
        offered_language(preferred_language(user=user))
        or offered_language(fallback)
        or settings.LANGUAGE_CODE
    )
