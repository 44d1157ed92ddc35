"""What the media pipeline announces, for the apps above it to act on (it imports none).

``transcoding_needs_attention`` is sent (once committed) when a recording fails because
infrastructure faults reached their ceiling: not the file's fault, so the people who manage
the organization's media should hear of it. Arguments: ``recording`` and ``reason``.

``captions_changed`` is sent (once committed) when a recording's caption track is stored,
edited, reviewed or removed, so pages showing the recording can re-index what is said in
it. Arguments: ``recording`` and ``language``.
"""

from django.dispatch import Signal

transcoding_needs_attention = Signal()
captions_changed = Signal()
