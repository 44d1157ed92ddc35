"""Every CSV file Attune hands out is written here, so that no cell is run as a formula.

Spreadsheet programs treat a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula, so a name someone typed ("=HYPERLINK(...)") could run on the
machine of the person who opens the export. Each such cell is written with a leading
apostrophe, which spreadsheets show as text (the OWASP advice for CSV injection).
"""

import csv

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value) -> str:
    """``value`` as a cell a spreadsheet shows as text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class SpreadsheetWriter:
    """``csv.writer`` over ``file`` whose every cell goes through ``spreadsheet_text``.
    ``writerow`` returns what the file's ``write`` returned, so it also serves a stream."""

    def __init__(self, file):
        self._writer = csv.writer(file)

    def writerow(self, row):
        return self._writer.writerow([spreadsheet_text(value) for value in row])
