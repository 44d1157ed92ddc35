"""Views, one module per screen. Thin: selectors read, services write.

- ``portfolio``: an endorsement held from before Attune, the readiness check (the portfolio
  page itself is ``courses.views.portfolio.portfolio``: it shows the catalog's trainings)
- ``checklist``: ticks and their evidence
- ``exports``: the application export
- ``applications``: the learner's applications and each change to one
- ``references``: naming raters, and a rater's form
- ``registry``: the public registry, a holder's listing, verification
- ``review``: reviewer screens in Wagtail's admin
"""
