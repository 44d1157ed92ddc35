"""The words the rules write, in the reader's language, without importing Django.

The package stays pure: ``gettext`` and ``ngettext`` here call the translator the endorsement
app installs when Django starts (``EndorsementConfig.ready`` installs Django's), so they
translate into the language active when they are called; with none installed (the rules used
on their own) the words stay English. ``gettext_noop`` marks labels kept as data, translated
where they are shown, so that the catalog's extraction finds them.
"""

_translator: tuple | None = None


def install(gettext_function, ngettext_function) -> None:
    global _translator
    _translator = (gettext_function, ngettext_function)


def gettext(message: str) -> str:
    return str(_translator[0](message)) if _translator else message


def ngettext(singular: str, plural: str, number: int) -> str:
    if _translator:
        return str(_translator[1](singular, plural, number))
    return singular if number == 1 else plural


def gettext_noop(message: str) -> str:
    return message
