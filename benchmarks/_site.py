"""Settings for the benchmarks that serve Attune through gunicorn (``heartbeat.py``,
``load.py``): Attune's test settings, the per-learner heartbeat limit lifted, one bare JSON
view beside Attune's own URLs (with ``CACHE_URL``, the shared Redis cache and cached sessions
production uses, as lms/settings/base.py sets them). Not used by anything else."""

from lms.settings.test import *  # noqa: F403

ROOT_URLCONF = "benchmarks._urls"
# The load generator sends far more beats per learner than any player would.
ATTUNE_HEARTBEAT_LIMIT = 10**9
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
