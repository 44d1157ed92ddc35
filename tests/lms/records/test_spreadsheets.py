"""The one CSV writer: cells that a spreadsheet would run as formulas are written as text."""

import csv
import io

import pytest

from lms.records.spreadsheets import SpreadsheetWriter, spreadsheet_text


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Jane = Smith", "Jane = Smith"),
        ("'quoted", "'quoted"),
        (None, ""),
        (2.5, "2.5"),
        ("", ""),
    ],
)
def test_spreadsheet_text(value, cell):
    assert spreadsheet_text(value) == cell


def test_the_writer_writes_rows_and_serves_a_stream():
    out = io.StringIO()
    writer = SpreadsheetWriter(out)
    writer.writerow(["=cmd|' /C calc'!A0", "plain", 3])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["'=cmd|' /C calc'!A0", "plain", "3"]]

    class Echo:
        def write(self, value):
            return value

    assert SpreadsheetWriter(Echo()).writerow(["-1", "x"]) == "'-1,x\r\n"
