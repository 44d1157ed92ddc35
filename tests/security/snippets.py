"""The rows of one snippet viewset and its chooser (expected.py and the parts' rows files
use it)."""

# Wagtail's generic snippet views by URL name; object views are checked per object.
SNIPPET_OBJECT_VIEWS = ("edit", "delete", "usage", "history", "history_results", "copy")
SNIPPET_LIST_VIEWS = ("list", "list_results", "add")
CHOOSER_VIEWS = ("choose", "choose_results", "chosen_multiple")


def snippet(label, who, *, objects=None, chooser=None, chosen=None, create=None, extra=None):
    """The URLs of one snippet viewset and its chooser. ``who`` may list and open objects;
    ``chooser`` may open the chooser (a list scoped to what they may see)."""
    app, model = label.split(".")
    views = f"wagtailsnippets_{app}_{model}:"
    choosers = f"wagtailsnippetchoosers_{app}_{model}:"
    table = {views + v: who for v in SNIPPET_LIST_VIEWS}
    table.update({views + v: objects or who for v in SNIPPET_OBJECT_VIEWS})
    table.update({choosers + v: chooser or who for v in CHOOSER_VIEWS})
    table[choosers + "chosen"] = chosen or objects or who
    table[choosers + "create"] = create or who
    table.update({views + v: w for v, w in (extra or {}).items()})
    return table
