"""Views, one module per screen. Thin: selectors read, services write, and every view checks
that the object belongs to the signed-in user (or may be seen by them).

- ``records``: the learner's records, one record, adding external training, its evidence file
- ``transcript``: the transcript page and its PDF and CSV
- ``certificates``: the certificate PDF and the Open Badges credential of one record
- ``rsc``: logging an RSC session, resending its co-signature link, the supervisor's answer
- ``verification``: public pages: a record's verification, credential verification, issuers
- ``admin``: Wagtail admin screens of the records an organization issued
"""
