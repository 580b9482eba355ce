"""Human output: `file:line:col: severity CODE message`, coloured only on a terminal."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..model import Finding

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_BOLD = "\033[1m"
_RESET = "\033[0m"
# A message quotes its match, which may hold line breaks or control chars (an escape sequence in
# a pasted draft): shown escaped, so a finding stays one line and the draft cannot drive the
# terminal. Tabs are harmless and stay.
_ESCAPES = {
    cp: repr(chr(cp))[1:-1]
    for cp in (*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029)
    if cp != 0x09
}


def format_text(results: Iterable[tuple[str, Sequence[Finding]]], *, color: bool = False) -> str:
    """One line per finding; paths as given, lines and columns 1-based (columns in code points)."""
    lines = []
    for path, findings in results:
        for f in findings:
            where = f"{path}:{f.line}:{f.column}:"
            sev = f.severity
            if color:
                where = f"{_BOLD}{where}{_RESET}"
                sev = f"{_COLOURS[sev]}{sev}{_RESET}"
            lines.append(f"{where} {sev} {f.code} {f.message.translate(_ESCAPES)}")
    return "\n".join(lines) + ("\n" if lines else "")


# The summary in the messages' language (`--lang`): severities as the extension names them.
_SEVERITY_VI = {"error": "nghiêm trọng", "warning": "cảnh báo", "info": "lưu ý"}


def summary(counts: dict[str, int], lang: str = "en") -> str:
    """`3 findings (1 error, 2 warnings)` or `no findings`; in Vietnamese,
    `3 vi phạm (1 nghiêm trọng, 2 cảnh báo)` or `không có vi phạm nào`."""
    total = sum(counts.values())
    present = [(sev, n) for sev in ("error", "warning", "info") if (n := counts.get(sev, 0))]
    if lang == "vi":
        if not total:
            return "không có vi phạm nào"
        return f"{total} vi phạm ({', '.join(f'{n} {_SEVERITY_VI[sev]}' for sev, n in present)})"
    if not total:
        return "no findings"
    parts = [f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in present]
    return f"{total} finding{'s' if total != 1 else ''} ({', '.join(parts)})"
