"""The cache of counts that must be the same for every worker and machine: rate limits (django-ratelimit).

Django's database cache, with an increment two workers cannot interleave (Django's reads, adds one and writes,
so two concurrent requests could both count as one). Its table is made by a migration (``createcachetable``).
"""

from __future__ import annotations

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction


class AtomicDatabaseCache(DatabaseCache):
    def incr(self, key, delta=1, version=None):  # type: ignore[no-untyped-def]
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        with transaction.atomic(using=db):  # on SQLite (transaction_mode IMMEDIATE) this already takes the lock
            if connection.features.has_select_for_update:
                table = connection.ops.quote_name(self._table)
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT cache_key FROM {table} WHERE cache_key = %s FOR UPDATE",
                        [self.make_and_validate_key(key, version=version)],
                    )
            return super().incr(key, delta, version)
