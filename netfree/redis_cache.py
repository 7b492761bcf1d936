"""Django's Redis cache backend, made a cache and never a dependency.

- **A failing Redis is a miss.** Stopped, hung or unreachable, Redis answers every call within
  REDIS_TIMEOUT seconds, and then the call behaves as a miss (reads) or a no-op (writes); for the
  next FAILURE_PAUSE seconds Redis is not asked at all, so readers get pages rendered from the
  database without waiting, and editors save as usual. Nothing depends on Redis for being
  right: the content version lives in the database (countries.cache), so a Redis that comes back
  holding old pages never has them served as current.
- **One client per connection pool.** Django's RedisCacheClient builds a new `redis.Redis` for
  every operation, and redis-py fills a table of some 170 response callbacks each time: about
  0.4 ms, more than the round trip itself. A client is safe to share (the pool hands each
  command a connection).
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

REDIS_TIMEOUT = 0.25
FAILURE_PAUSE = 5.0

log = logging.getLogger("netfree.cache")


class ResilientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, **options):
        options.setdefault("socket_timeout", REDIS_TIMEOUT)
        options.setdefault("socket_connect_timeout", REDIS_TIMEOUT)
        options.setdefault("retry", Retry(NoBackoff(), 0))  # a second try would only wait again
        super().__init__(servers, **options)
        self._paused_until = 0.0

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        if pool not in clients:
            clients[pool] = self._client(connection_pool=pool)
        return clients[pool]

    def _guarded(self, operation, fallback, *args):
        if time.monotonic() < self._paused_until:
            return fallback
        try:
            return getattr(super(), operation)(*args)
        except (RedisError, OSError) as error:
            self._paused_until = time.monotonic() + FAILURE_PAUSE
            log.warning(
                "Redis %s failed (%s); not asking it for %ss", operation, error, FAILURE_PAUSE
            )
            return fallback

    def add(self, key, value, timeout):
        return self._guarded("add", False, key, value, timeout)

    def get(self, key, default):
        return self._guarded("get", default, key, default)

    def set(self, key, value, timeout):
        return self._guarded("set", None, key, value, timeout)

    def touch(self, key, timeout):
        return self._guarded("touch", False, key, timeout)

    def delete(self, key):
        return self._guarded("delete", False, key)

    def get_many(self, keys):
        return self._guarded("get_many", {}, keys)

    def has_key(self, key):
        return self._guarded("has_key", False, key)

    def set_many(self, data, timeout):
        return self._guarded("set_many", None, data, timeout)

    def delete_many(self, keys):
        return self._guarded("delete_many", None, keys)

    def clear(self):
        return self._guarded("clear", False)


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
