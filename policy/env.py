"""How an on/off `RASOAT_*` setting reads, the same for every one of them (RASOAT_NO_CACHE here,
RASOAT_BENCH_ECHO in the service): `1`, `true`, `yes` or `on` (any case, spaces around ignored)
turn it on; anything else (`0`, `false`, `no`, `off`, empty, unset) leaves it off.
"""

from __future__ import annotations

ON = frozenset({"1", "true", "yes", "on"})


def is_on(value: object) -> bool:
    """Whether a setting is on: a string from the environment as above, any other value by its
    truth (a test's or a config mapping's `True`)."""
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip().lower() in ON
    return bool(value)
