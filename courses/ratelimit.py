"""A per-key request limit kept in Django's cache (no database query).

On Redis, counting costs one round trip (INCR with its expiry, pipelined); on any other
cache, Django's ``add``/``incr``."""

import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache


def allow(*, key: str, limit: int, window: int) -> bool:
    """Count a request under ``key``; False once ``limit`` is passed in this ``window``."""
    bucket = f"attune:limit:{key}:{int(time.time() // window)}"
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        return _count_on_redis(cache, cache.make_and_validate_key(bucket), window + 1) <= limit
    if cache.add(bucket, 1, timeout=window + 1):
        return True
    try:
        return cache.incr(bucket) <= limit
    except ValueError:
        # The window's counter expired between add and incr: this is its first request.
        cache.add(bucket, 1, timeout=window + 1)
        return True


def _count_on_redis(cache: RedisCache, key: str, timeout: int) -> int:
    client = cache._cache.get_client(key, write=True)
    pipeline = client.pipeline(transaction=False)
    pipeline.incr(key)
    pipeline.expire(key, timeout, nx=True)
    count, _ = pipeline.execute()
    return count
