"""Settings of xAPI statements to learning record stores (read from the environment)."""

from .environment import env, env_bool, env_list  # noqa: F401
