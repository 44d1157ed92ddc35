"""Attune speaking the systems associations and institutes already run.

Each sub-app is one conversation with the outside: ``lti`` (LTI 1.3 Advantage: launches from
Canvas, Moodle or Brightspace, deep linking, grades and rosters), ``sso`` (an association's
membership system as its members' sign-in, keeping their membership current) and
``registries`` (training rosters in the format a state registry accepts). They sit above
``courses`` and ``commerce`` because they open trainings, enroll people and set memberships;
xAPI lives lower, in ``lms.integrations``, where records announce themselves.
"""
