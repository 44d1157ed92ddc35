"""Every string a person reads in our templates goes through Django's translation machinery."""

from .unmarked import TEMPLATES, templates, unmarked, unmarked_in


def test_the_check_reads_every_template():
    assert len(templates()) > 100


def test_the_check_finds_unmarked_text_attributes_and_literals(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "{% load i18n %}<h1>{% translate 'Marked' %}</h1><p>Unmarked words</p>"
        '<img alt="A drawing" src="x.png">{% blocktranslate %}Fine {{ x }}{% endblocktranslate %}'
        "{# a comment #}<script>const a = 'code';</script>"
        "<span>{{ value|default:'Not set' }}</span>"
        "{% include 'x.html' with label='Open it' css='button button--primary' %}"
        '<input type="submit" value="Send"><button value="confirm">{% translate \'Go\' %}</button>'
        "<abbr>PDF</abbr> · 12 → {{ count }}"
    )
    assert sorted(item.text for item in unmarked_in(page)) == sorted(
        ["Unmarked words", 'alt="A drawing"', 'value="Send"', "'Not set'", "'Open it'"]
    )


def test_every_template_string_is_marked_for_translation():
    found = unmarked(TEMPLATES)
    assert not found, f"{len(found)} strings not marked for translation:\n" + "\n".join(
        map(str, found)
    )
