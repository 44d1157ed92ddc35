"""Reads for endorsement, one module per concept. Keyword-only arguments.

- ``requirements``: the rule set in effect (with the learner's latest ticks), a category's
  areas, the choices of association and category
- ``facts``: the learner's records as the rules see them
- ``portfolio``: the learner's target, the evaluation of their portfolio, the renewal tracker
- ``suggestions``: catalog trainings that would fill the gaps, from a suggester the caller passes
- ``exports``: the learner's training entries and RSC log for an application
- ``applications``: the live draft of an application, its submissions and what changed since
- ``references``: the raters named on an application and their signed links
- ``review``: who may see and review an application, and a reviewer's screen
- ``registry``: an association's public registry
- ``sharing``: the records learners share with an association's own systems (the API)
"""
