"""What the service says to its operator, as its help does: in Vietnamese first, then English.

`python -m server` prints a start-up error as two lines, `lỗi: <Vietnamese>` then
`error: <English>`, so each line reads whole on its own and `^error:` still finds the English.
Every line the service logs (a pack reload, refused or done, SIGHUP, an internal error) is one
record, `<Vietnamese> / <English>` on one line: one event, one `[pid] [LEVEL]` prefix, nothing
another thread or worker logs can come between the two, and the English unchanged, so a parser
still finds it (unanchored). gunicorn's own lines ("Booting worker") stay as gunicorn says them.
Values the operator typed, option names and paths stay as typed. A pack's own problem is said as
`rasoat` says it (`policy.cli`, `policy/pack_errors_vi.py`): one translation, not a second copy.
API responses are not these: their clients read the `code`.
"""

from __future__ import annotations

from typing import NamedTuple

import policy


class Problem(NamedTuple):
    """One problem in both languages."""

    vi: str
    en: str

    def lines(self) -> str:
        """The two lines a terminal shows: `lỗi: …`, then `error: …`."""
        return f"lỗi: {self.vi}\nerror: {self.en}"

    def log_line(self) -> str:
        """One log record's text: `<Vietnamese> / <English>`, on one line."""
        return f"{self.vi} / {self.en}"


class _SaidInBoth:
    """An exception said in both languages: `str()` is the English (what tests quote), `vi` the
    Vietnamese."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(en)  # type: ignore[call-arg]
        self.vi = vi


class SettingProblem(_SaidInBoth, ValueError):
    """A malformed `RASOAT_*` setting."""


class PacksProblem(_SaidInBoth, policy.PolicyError):
    """Packs that load but cannot be served together (two with one id)."""


class StartUpStop(SystemExit):
    """A problem that stops `gunicorn -c server/gunicorn.conf.py` from starting (a malformed
    RASOAT_* setting, a pack that does not load), said in both languages.

    gunicorn answers an Exception from its config file with "Failed to read config file" and a
    traceback, and one from the app with a traceback, the English at their end; a SystemExit
    passes through both, and Python prints its code, here the two lines, and exits with status 1,
    as gunicorn's own setting errors do. `python -m server` catches it and says it as its other
    start-up errors (status 2).
    """

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.lines())
        self.problem = problem


def problem_of(error: BaseException) -> Problem:
    """A start-up error (a pack that does not load, a malformed setting) in both languages."""
    from policy.cli import policy_error_text, setting_error_text
    from policy.env import SettingError

    if isinstance(error, _SaidInBoth):
        return Problem(error.vi, str(error))
    if isinstance(error, policy.PolicyError):
        return Problem(policy_error_text(error, "vi"), policy_error_text(error, "en"))
    if isinstance(error, SettingError):
        return Problem(setting_error_text(error, "vi"), setting_error_text(error, "en"))
    # Not ours to word (a library's ValueError): its detail only in English, on the next line.
    return Problem("thiết lập không hợp lệ (chi tiết bằng tiếng Anh ở dòng dưới)", str(error))


# Why a reload ran (server/packs.py, server/serving.py), as the Vietnamese log line says it.
_REASONS_VI = {
    "files changed": "tệp đã đổi",
    "files changed before this worker started": "tệp đã đổi trước khi worker này khởi động",
    "requested": "theo yêu cầu",
}


def reload_rejected(reason: str, error: BaseException, serving: str | None = None) -> Problem:
    """The log lines of a reload refused because the edited packs do not load; `serving` is the
    pack (`id version`) that keeps serving, when one pack's edit is refused."""
    from policy.cli import pack_error_text
    from policy.loader import UnknownPackError

    # A broken file's `path:line: problem`, without the CLI's lead ("the pack cannot be
    # loaded"): the line says so already.
    said = (
        Problem(pack_error_text(error, "vi"), pack_error_text(error, "en"))
        if isinstance(error, policy.PackError) and not isinstance(error, UnknownPackError)
        else problem_of(error)
    )
    why = _REASONS_VI.get(reason, reason)
    if serving is None:
        return Problem(
            f"nạp lại gói ({why}) bị từ chối: {said.vi}",
            f"pack reload ({reason}) rejected: {said.en}",
        )
    return Problem(
        f"nạp lại gói ({why}) bị từ chối, vẫn phục vụ {serving}: {said.vi}",
        f"pack reload ({reason}) rejected, still serving {serving}: {said.en}",
    )


def reload_failed(reason: str, error: BaseException, serving: str) -> Problem:
    """The log lines of a reload that failed with something other than a pack's problem: a
    defect in Rasoat that the edit ran into (its message is the exception's own, in English)."""
    why = _REASONS_VI.get(reason, reason)
    kind = type(error).__name__
    return Problem(
        f"nạp lại gói ({why}) thất bại, vẫn phục vụ {serving}: lỗi nội bộ {kind}: {error} "
        "(một lỗi của Rasoat; hãy báo lỗi này kèm thay đổi của gói)",
        f"pack reload ({reason}) failed, still serving {serving}: internal error {kind}: {error} "
        "(a defect in Rasoat; please report it with the pack edit)",
    )


def reload_done(reason: str, serving: str, digest: str) -> Problem:
    """The log line of a reload that swapped in a pack (`serving`: `id version`; `digest`: its
    first characters). Not a problem, but said the same way."""
    why = _REASONS_VI.get(reason, reason)
    return Problem(
        f"nạp lại gói ({why}): giờ phục vụ {serving} (mã băm {digest})",
        f"pack reload ({reason}): now serving {serving} (digest {digest})",
    )


def reload_crashed(reason: str) -> Problem:
    """The log line above the traceback of a reload thread's unexpected failure."""
    why = _REASONS_VI.get(reason, reason)
    return Problem(
        f"nạp lại gói ({why}) thất bại: lỗi nội bộ (một lỗi của Rasoat; chi tiết bằng tiếng Anh "
        "ở các dòng dưới)",
        f"pack reload ({reason}) failed",
    )


def sighup_forwarded(workers: int) -> Problem:
    """The master's log line when SIGHUP reaches it: how many workers it asks to reload."""
    return Problem(
        f"SIGHUP: yêu cầu {workers} worker nạp lại gói",
        f"SIGHUP: asking {workers} worker(s) to reload their packs",
    )


def internal_error(kind: str, method: str, route: str) -> Problem:
    """The log line of a request that failed on a defect: only the exception's type and the
    route (its message or traceback could quote the draft)."""
    return Problem(
        f"lỗi nội bộ {kind} ở {method} {route}",
        f"internal error {kind} in {method} {route}",
    )
