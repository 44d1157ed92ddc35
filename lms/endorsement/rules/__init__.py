"""Endorsement requirements evaluated over plain facts: no Django, no database. Every module
here imports only the standard library and its neighbours in this package.

An association's rules are data (``RuleSet`` holding ``Rule`` rows); a learner's records
arrive as ``RecordFact`` values with amendments already applied and revoked records left out.
``evaluate`` answers, for each rule, what is required, what is achieved, the gap, and which
records count, split by verification tier. Every number a rule uses (15 hours, 1 DEI hour,
a calendar year) comes from the rule set, never from this package.

- ``rule_sets``: the kinds of rules, checklist items, conditions and cycles; ``Rule``, ``RuleSet``
- ``facts``: what the rules read about the learner: records, areas, checklist ticks, standing
- ``cycles``: renewal cycles and due dates
- ``evaluation``: ``evaluate`` and its results
- ``words``: gaps and missing areas in sentences
- ``readiness``: what is missing or unverified before applying, and what blocks a submission
- ``snapshot``: an evaluation as plain JSON, frozen on a submission
- ``i18n``: the words above in the reader's language (Django's translator, installed at start)
"""
