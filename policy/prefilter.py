"""Find literals every match of a regex must start with, so the regex can be skipped when absent.

Deliberately conservative: it understands only a pattern that opens (after inline flags,
lookbehinds and `\\b`) with a plain literal or a group of plain-literal alternatives, and it gives
up (returns None) on anything else. A wrong answer would hide findings; no answer costs only time.
"""

from __future__ import annotations

_SAFE_ESCAPES = {".": ".", "-": "-", " ": " ", "'": "'", '"': '"', "/": "/", "&": "&"}
_QUANTIFIERS = "?*+{"


def _skip_group(p: str, i: int) -> int:
    """Index just after the group opening at p[i] == '(' (escapes and classes respected)."""
    depth = 0
    in_class = False
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def _atom_end(p: str, i: int) -> int:
    """End of a class / escape / single char atom at p[i], or i when it is something else."""
    if p.startswith("[", i):
        j = i + 1
        if j < len(p) and p[j] == "^":
            j += 1
        if j < len(p) and p[j] == "]":
            j += 1
        while j < len(p) and p[j] != "]":
            j += 2 if p[j] == "\\" else 1
        return j + 1 if j < len(p) else i
    if p.startswith("\\", i) and i + 1 < len(p) and p[i + 1] in "wWsSdD":
        return i + 2
    if i < len(p) and p[i] == ".":
        return i + 1
    return i


def _has_top_level_bar(p: str) -> bool:
    return len(_split_bars(p)) > 1


def _literal(alt: str) -> str | None:
    """The text of a plain-literal alternative, or None."""
    out = []
    i = 0
    while i < len(alt):
        c = alt[i]
        if c == "\\":
            if i + 1 < len(alt) and alt[i + 1] in _SAFE_ESCAPES:
                out.append(_SAFE_ESCAPES[alt[i + 1]])
                i += 2
                continue
            return None
        if not (c.isalnum() or c in " _'\"&/"):
            return None
        out.append(c)
        i += 1
    text = "".join(out)
    return text if any(ch.isalnum() for ch in text) and "  " not in text else None


def _split_bars(body: str) -> list[str]:
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(body):
        c = body[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
        i += 1
    parts.append(body[start:])
    return parts


def required_literals(pattern: str) -> tuple[str, ...] | None:
    """Literals one of which starts every match of `pattern`, or None when unsure."""
    p = pattern
    if _has_top_level_bar(p):
        return None
    i = 0
    while True:
        if p.startswith(("(?i)", "(?u)", "(?V0)", "(?V1)"), i):
            i = p.index(")", i) + 1
        elif p.startswith("\\b", i) or p.startswith("^", i):
            i += 2 if p.startswith("\\b", i) else 1
        elif p.startswith("(?=", i):
            # A lookahead that needs a literal: the literal is in the draft whenever this matches.
            j = _skip_group(p, i)
            if j < 0:
                return None
            inner = required_literals(p[i + 3 : j - 1])
            if inner is not None:
                return inner
            i = j
        elif p.startswith(("(?<!", "(?<=", "(?!"), i):
            j = _skip_group(p, i)
            if j < 0:
                return None
            i = j
        elif p.startswith("(", i):
            # An optional group ("(?:https?://)?") may be skipped; any other group is read below.
            j = _skip_group(p, i)
            if j < 0:
                return None
            if j < len(p) and p[j] in "?*":
                i = j + 1 + (j + 1 < len(p) and p[j + 1] in "?+")
                continue
            break
        else:
            # An atom repeated zero or more times ("[a-z0-9]*", "\\w*?") may be skipped too.
            j = _atom_end(p, i)
            if j > i and j < len(p) and p[j] == "*":
                i = j + 1 + (j + 1 < len(p) and p[j + 1] in "?+")
                continue
            break
    if i >= len(p):
        return None
    if p.startswith(("(?:", "(?i:"), i):
        j = _skip_group(p, i)
        if j < 0 or (j < len(p) and p[j] in _QUANTIFIERS):
            return None
        body = p[p.index(":", i) + 1 : j - 1]
        lits = [_literal(a) for a in _split_bars(body)]
        if not lits or any(lit is None for lit in lits):
            return None
        return tuple(dict.fromkeys(lit.strip() for lit in lits if lit))  # type: ignore[union-attr]
    # A plain literal run; a quantifier after it applies to its last char, which is then dropped.
    j = i
    out = []
    while j < len(p) and (p[j].isalnum() or p[j] == " "):
        out.append(p[j])
        j += 1
    if j < len(p) and p[j] in _QUANTIFIERS and out:
        out.pop()
    text = "".join(out).strip()
    if len(text) < 2 or not any(c.isalpha() for c in text):
        return None
    return (text,)


_FLAGS = "aiLmsuxfbrVw0123456789"  # letters and digits of inline flag groups: (?im), (?V1)


def _flag_group_end(p: str, i: int) -> int:
    """End of an inline flag group `(?im)` at p[i], or -1 when p[i] opens something else."""
    if not p.startswith("(?", i):
        return -1
    j = i + 2
    while j < len(p) and p[j] in _FLAGS + "-":
        j += 1
    return j + 1 if j > i + 2 and j < len(p) and p[j] == ")" else -1


# Groups whose content every match needs: plain, case-scoped and positive lookarounds.
_REQUIRED_GROUPS = ("(?:", "(?i:", "(?-i:", "(?=", "(?<=")


def _alnum_count(text: str) -> int:
    return sum(c.isalnum() for c in text)


def gate_literals(pattern: str) -> tuple[str, ...] | None:
    """Literals one of which every match of `pattern` contains, or None when unsure.

    Looks at the pattern's top level (no top-level `|`): each run of plain characters (a
    quantified last character dropped) and each group every match goes through — plain,
    capturing, case-scoped or a positive lookaround, not followed by `?`/`*`/`{` — whose
    alternatives each have literals of their own (found the same way) is a candidate; so are
    the literals `required_literals` reads off the start. Returns the most selective candidate
    (the one whose shortest literal is longest; 3+ letters/digits), or None. Verbose patterns
    (`(?x)`) and escapes with arguments (`\x41`, back-references) are never analysed.
    """
    p = pattern
    if _has_top_level_bar(p) or re_verbose(p):
        return None
    candidates: list[tuple[str, ...]] = []
    start = required_literals(p)
    if start is not None:
        candidates.append(start)
    run: list[str] = []

    def close_run(quantified: bool) -> None:
        if quantified and run:
            run.pop()
        text = "".join(run).strip()
        if text and "  " not in text:
            candidates.append((text,))
        run.clear()

    i = 0
    while i < len(p):
        c = p[i]
        if c == "\\":
            nxt = p[i + 1] if i + 1 < len(p) else ""
            if nxt in _SAFE_ESCAPES:
                run.append(_SAFE_ESCAPES[nxt])
                i += 2
                if i < len(p) and p[i] in _QUANTIFIERS:
                    close_run(True)
                continue
            if not nxt or nxt in "xuUN0123456789gk":
                return None  # escapes with arguments (\x41, \N{…}, back-references): give up
            close_run(False)
            i += 2  # \b, \s, \d, \w …; the braces of \p{L} are skipped here too
            if nxt in "pP" and i < len(p) and p[i] == "{":
                i = _brace_end(p, i)
            continue
        if c.isalnum() or c in " _'\"&/":
            run.append(c)
            i += 1
            if i < len(p) and p[i] in _QUANTIFIERS:
                close_run(True)
            continue
        close_run(False)
        if c == "{":
            i = _brace_end(p, i)  # a counted quantifier: its digits are not literals
            continue
        if c == "[":
            j = _atom_end(p, i)
            if j <= i:
                return None
            i = j
            continue
        if c == "(":
            flags_end = _flag_group_end(p, i)
            if flags_end > 0:
                i = flags_end
                continue
            j = _skip_group(p, i)
            if j < 0:
                return None
            optional = j < len(p) and p[j] in "?*{"
            opener = next((o for o in _REQUIRED_GROUPS if p.startswith(o, i)), None)
            if opener is None and p[i + 1 : i + 2] != "?":
                opener = "("  # a capturing group
            if not optional and opener is not None:
                # A group every match goes through (a positive lookaround: the draft has it):
                # each alternative needs one of its own literals, so the union is a candidate.
                union: list[str] = []
                for alt in _split_bars(p[i + len(opener) : j - 1]):
                    lits = gate_literals(alt)
                    if lits is None:
                        break
                    union.extend(lits)
                else:
                    candidates.append(tuple(dict.fromkeys(union)))
            i = j
            continue
        i += 1
    close_run(False)
    good = [c for c in candidates if c and min(_alnum_count(lit) for lit in c) >= 3]
    if not good:
        return None
    return max(good, key=lambda c: (min(_alnum_count(lit) for lit in c), -len(c)))


def _brace_end(p: str, i: int) -> int:
    """Index just after the `}` closing the brace at p[i] (end of pattern when unclosed)."""
    j = p.find("}", i)
    return len(p) if j < 0 else j + 1


def re_verbose(p: str) -> bool:
    """True when an inline flag group turns on verbose mode (spaces are then not literal)."""
    i = p.find("(?")
    while i >= 0:
        end = _flag_group_end(p, i)
        if end > 0 and "x" in p[i:end]:
            return True
        i = p.find("(?", i + 1)
    return False
