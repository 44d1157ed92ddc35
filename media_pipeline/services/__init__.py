"""Writes for the media pipeline, one module per concept: every status change of a recording
happens in one of them.

A worker holds a recording through a lease (``leases``: a token and an expiry on the row,
taken with a conditional UPDATE, renewed while it works). Two workers therefore never process
the same recording at once, and a worker that dies simply lets its lease run out: the next
worker takes the recording over, marks the dead attempt abandoned and removes its files.

Each transcode attempt (``attempts``) writes under its own storage prefix. Only a finished,
uploaded attempt is published, by switching the recording to it in one transaction; the
previously published attempt's files are removed afterwards.

Services never queue work: one that leaves a recording waiting for a worker returns the
:class:`~media_pipeline.services.steps.StepToQueue`, and its caller (a task, a view) queues
it with ``transaction.on_commit``.
"""
