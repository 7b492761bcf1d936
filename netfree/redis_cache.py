"""Django's Redis cache backend, with one client object per connection pool instead of per call.

Django's RedisCacheClient builds a new `redis.Redis` for every cache operation, and redis-py
fills a table of some 170 response callbacks each time: about 0.4 ms, more than the round trip
to Redis itself, on every page served from the cache. A Redis client is safe to share (the
pool hands each command a connection), so one per pool is kept.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedRedisCacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        if pool not in clients:
            clients[pool] = self._client(connection_pool=pool)
        return clients[pool]


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient
