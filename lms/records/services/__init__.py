"""Writes on training records, one module per concept. Keyword-only arguments.

Every function validates before it writes and raises ``ValidationError`` (keyed by field
where there is one) with nothing saved when the input is wrong.

- ``issuing``: the checks every new record passes, and issuing a course's completion
- ``external``: training the learner took elsewhere
- ``amendments``: correcting and revoking an issued record
- ``rsc``: reflective supervision/consultation sessions and their co-signature
- ``record_events``: a record's own audit trail, downloads included
"""
