"""Writes for endorsement, one module per concept. Keyword-only arguments; bad input raises
``ValidationError`` with nothing saved.

Application statuses: draft → submitted → in review → approved / approved to sit the exam /
deferred / on hold; withdrawn from any open status. Each step is one function that checks the
status it starts from under a row lock (``transitions``), so a double submit or two reviewers
deciding at once change nothing twice.

- ``requirements``: shipped default rule sets, a new version of a set
- ``portfolio``: the learner's target, an endorsement held from before Attune
- ``checklist``: ticking checklist items, with evidence
- ``transitions``: the lock and checks every step on an application shares
- ``applications``: starting, drafting, submitting, withdrawing and reopening an application
- ``references``: naming raters, their signed links, a rater's rating
- ``review``: reviewers, reviews, decisions, the exam result; approval writes the endorsement
- ``registry``: a holder's listing in the public registry
- ``renewals``: renewal due dates and reminders
"""
