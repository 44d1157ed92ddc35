"""Settings for worker processes that the fault tests start: the test settings, with the
work folder and retry timings the test chooses through the environment."""

import os
from pathlib import Path

from lms.settings.test import *  # noqa: F403

if os.environ.get("ATTUNE_FAULT_WORK_DIR"):
    MEDIA_PIPELINE_WORK_DIR = Path(os.environ["ATTUNE_FAULT_WORK_DIR"])
# Retries a second apart (doubling), so a fault that passes is over within seconds.
MEDIA_PIPELINE_RETRY_BACKOFF_SECONDS = int(os.environ.get("ATTUNE_FAULT_BACKOFF_SECONDS", "1"))
