"""jiedao/redis_cache.py: the cache keeps one Redis client and still reads what it wrote."""

from django.core.cache import caches

from jiedao.redis_cache import RedisCache


def test_cache_calls_share_one_client_and_read_their_writes():
    cache = caches["default"]
    assert isinstance(cache, RedisCache)  # tests run on Redis, as production does
    cache.set("redis-cache-test", {"title": "党务公开"}, timeout=10)
    assert cache.get("redis-cache-test") == {"title": "党务公开"}
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
