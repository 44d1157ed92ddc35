"""Settings of interop.sso (read from the environment)."""

from .environment import env, env_bool, env_list  # noqa: F401
