"""Settings and URLs for ``benchmarks/heartbeat.py``: Attune's test settings, the heartbeat
limit lifted, and one bare JSON view beside Attune's own URLs. Not used by anything else."""

from lms.settings.test import *  # noqa: F403

ROOT_URLCONF = "benchmarks._heartbeat_urls"
# The load generator sends far more beats per learner than any player would.
ATTUNE_HEARTBEAT_LIMIT = 10**9
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
