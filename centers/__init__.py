"""Centers: contracts with associations, the staff roster, seats, consent and the dashboard.

The highest app but the demo: it takes enrollment and progress from ``courses`` and
portfolio standing from ``lms.endorsement`` directly (``progress``, ``enrollment``,
``readiness``) and turns them into the plain values of ``values``. Its models (contracts,
staff, seats, roster files) live in ``lms.organizations``, which owns the rows; nothing
below imports this package.
"""
