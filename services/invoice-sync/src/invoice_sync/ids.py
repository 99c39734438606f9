"""Deterministic platform ids (decision 0006), memoised: a batch asks for the same ones several times."""
from functools import lru_cache

from contracts import ids

platform_invoice_id = lru_cache(maxsize=20_000)(ids.platform_invoice_id)
platform_customer_id = lru_cache(maxsize=20_000)(ids.platform_customer_id)
