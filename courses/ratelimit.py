"""A per-key request limit kept in Django's cache (no database query)."""

import time

from django.core.cache import cache


def allow(*, key: str, limit: int, window: int) -> bool:
    """Count a request under ``key``; False once ``limit`` is passed in this ``window``."""
    bucket = f"attune:limit:{key}:{int(time.time() // window)}"
    if cache.add(bucket, 1, timeout=window + 1):
        return True
    try:
        return cache.incr(bucket) <= limit
    except ValueError:
        # The window's counter expired between add and incr: this is its first request.
        cache.add(bucket, 1, timeout=window + 1)
        return True
