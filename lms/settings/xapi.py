"""Settings of xAPI statements to learning record stores (read from the environment)."""

from .environment import env, env_bool, env_list  # noqa: F401

# The key the LRS secrets are encrypted under (SECRET_KEY when empty), and the keys it
# replaced, still tried when decrypting.
ATTUNE_XAPI_KEY = env("ATTUNE_XAPI_KEY", "")
ATTUNE_XAPI_KEY_FALLBACKS = env_list("ATTUNE_XAPI_KEY_FALLBACKS", "")
# Statements per POST, and how long a batch may take before another worker may send them.
ATTUNE_XAPI_BATCH_SIZE = int(env("ATTUNE_XAPI_BATCH_SIZE", "50"))
ATTUNE_XAPI_BATCH_LEASE_SECONDS = float(env("ATTUNE_XAPI_BATCH_LEASE_SECONDS", "120"))
# Stores with a batch on the broker at once (each store has at most one).
ATTUNE_XAPI_MAX_QUEUED = int(env("ATTUNE_XAPI_MAX_QUEUED", "20"))
# How long an unsent statement is retried before it is given up (hours).
ATTUNE_XAPI_RETRY_HOURS = float(env("ATTUNE_XAPI_RETRY_HOURS", "72"))
# A uuid naming this installation's statements (derived from its public address if empty).
ATTUNE_XAPI_NAMESPACE = env("ATTUNE_XAPI_NAMESPACE", "")
