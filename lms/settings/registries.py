"""Settings of interop.registries (read from the environment).

``ATTUNE_REGISTRY_FORMATS`` lists the state early-childhood registries an association may
report training rosters to, each with the CSV layout it accepts. The two shipped here are
examples (see docs/integrations/registries.md): an operator checks each layout with the
registry before reporting, and replaces or extends the list with a JSON file named by
``ATTUNE_REGISTRY_FORMATS_FILE`` (a list of objects with the same keys).

Each format: ``code`` (a short slug, stored with learners' IDs and associations' choices),
``name``, ``id_label`` (what the registry calls a person's ID), ``id_pattern`` (a regular
expression the whole ID must match), ``id_example``, ``columns`` (``[header, source]`` in
file order; the sources are listed in interop/registries/formats.py), ``date_format``
(strftime), ``delimiter``, ``encoding`` (``utf-8``, or ``utf-8-sig`` for a byte-order mark
that spreadsheet programs look for).
"""

import json

from .environment import env, env_bool, env_list  # noqa: F401

ATTUNE_REGISTRY_FORMATS = [
    {
        "code": "state-generic",
        "name": "Generic state-registry roster (example)",
        "id_label": "Registry ID",
        "id_pattern": r"[A-Za-z0-9][A-Za-z0-9-]{3,19}",
        "id_example": "MI-104233",
        "columns": [
            ["Registry ID", "registry_id"],
            ["First Name", "first_name"],
            ["Last Name", "last_name"],
            ["Email", "email"],
            ["Sponsor ID", "sponsor_id"],
            ["Event ID", "event_id"],
            ["Training Title", "training_title"],
            ["Start Date", "start_date"],
            ["End Date", "end_date"],
            ["Hours", "hours"],
            ["Competency Areas", "competency_areas"],
            ["Certificate ID", "certificate_id"],
        ],
        "date_format": "%Y-%m-%d",
        "delimiter": ",",
        "encoding": "utf-8",
    },
    {
        "code": "sponsor-numeric",
        "name": "Sponsor roster with numeric member IDs (example)",
        "id_label": "Member number",
        "id_pattern": r"\d{7,10}",
        "id_example": "20481632",
        "columns": [
            ["Member Number", "registry_id"],
            ["Last Name", "last_name"],
            ["First Name", "first_name"],
            ["Organization Number", "sponsor_id"],
            ["Course Number", "event_id"],
            ["Course Title", "training_title"],
            ["Completion Date", "end_date"],
            ["Clock Hours", "hours"],
            ["Content Areas", "competency_hours"],
        ],
        "date_format": "%m/%d/%Y",
        "delimiter": ",",
        "encoding": "utf-8-sig",
    },
]

_formats_file = env("ATTUNE_REGISTRY_FORMATS_FILE", "")
if _formats_file:
    with open(_formats_file, encoding="utf-8") as _file:
        ATTUNE_REGISTRY_FORMATS = json.load(_file)
