"""The language to write a person's documents and e-mails in."""

from django.utils import translation

from lms.records.language import document_language as learner_language


def document_language(person) -> str:
    """The language to write ``person``'s documents (exports, e-mails) in: the records' rule
    (the language they chose in their profile when Attune offers it), falling back to the
    language active now (in a view, the one the page is shown in; in a task, the default)."""
    return learner_language(user=person, fallback=translation.get_language())
