"""How an on/off `RASOAT_*` setting reads, the same for every one of them (RASOAT_NO_CACHE here,
RASOAT_BENCH_ECHO in the service): `1`, `true`, `yes` or `on` (any case, spaces around ignored)
turn it on; `0`, `false`, `no`, `off`, empty or unset leave it off. Any other value is an error
naming the variable (`SettingError`), as the service treats its other malformed `RASOAT_*`
values: read as off, `RASOAT_NO_CACHE=y` or `RASOAT_BENCH_ECHO=enabled` did the opposite of what
the operator meant, without a word.
"""

from __future__ import annotations

ON = ("1", "true", "yes", "on")
OFF = ("0", "false", "no", "off", "")


class SettingError(ValueError):
    """An on/off setting whose value is neither on nor off; `str()` says so in English."""

    def __init__(self, name: str, value: str) -> None:
        self.name = name
        self.value = value
        super().__init__(
            f"{name}={value!r} is neither on ({', '.join(ON)}) "
            f"nor off ({', '.join(OFF[:-1])}, or empty)"
        )


def is_on(value: object, name: str) -> bool:
    """Whether the setting `name` is on: a string from the environment as above (raises
    `SettingError` for any other string), any other value by its truth (a test's or a config
    mapping's `True`)."""
    if value is None:
        return False
    if isinstance(value, str):
        word = value.strip().lower()
        if word in ON:
            return True
        if word in OFF:
            return False
        raise SettingError(name, value)
    return bool(value)
