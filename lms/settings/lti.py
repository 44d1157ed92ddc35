"""Settings of interop.lti (read from the environment)."""

from .environment import env, env_bool, env_list  # noqa: F401

# Origins of the learning platforms allowed to show Attune's launch pages in a frame, e.g.
# "https://canvas.example.edu,https://moodle.example.org". Empty: launch pages may be framed
# by any site only as far as the content security policy already allows ('self').
ATTUNE_LTI_FRAME_ANCESTORS = env_list("ATTUNE_LTI_FRAME_ANCESTORS")
# How long a one-time dynamic registration link stays usable, in hours.
ATTUNE_LTI_REGISTRATION_LINK_HOURS = int(env("ATTUNE_LTI_REGISTRATION_LINK_HOURS", "24"))
