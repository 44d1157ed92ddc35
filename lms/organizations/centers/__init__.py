"""Centers: contracts with associations, the staff roster, seats, consent and the dashboard.

Organizations sits below ``courses`` and ``lms.endorsement`` and never imports them. What a
center's pages need from above (enrolling on a seat, progress in a training, portfolio
standing) arrives through the functions named in the setting ``ATTUNE_CENTER_HOOKS`` (see
``hooks``), the way ``media_pipeline`` asks ``courses`` who may watch a recording.
"""
