"""Reads on training records, one module per concept.

- ``records``: a learner's records and one record, prefetched for ``facts_for``
- ``transcript``: a learner's transcript with totals per competency area and per year
- ``issued``: the records an organization issued
"""
