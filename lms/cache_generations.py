"""Generations in the shared cache: entries kept under a generation's current number go stale
together when it moves on (on publish, on a save of what they are made of), in every process
that shares the cache, with no list of keys to delete.

A generation missing from the cache (evicted, or a cache restarted) starts again from the
clock in microseconds, a number no earlier entry can carry: moves on add one, far fewer
than the microseconds between two restarts.
"""

import contextlib
import time

from django.core.cache import cache


class Generation:
    def __init__(self, name: str):
        self.key = f"attune:generation:{name}"

    def current(self) -> int:
        value = cache.get(self.key)
        if value is None:
            cache.add(self.key, time.time_ns() // 1000, None)
            value = cache.get(self.key)
        return value

    def advance(self, **kwargs) -> None:
        """Every entry kept under the current number is stale (a signal receiver)."""
        # Not in the cache: the next ``current`` starts a new one.
        with contextlib.suppress(ValueError):
            cache.incr(self.key)
