"""Every finding on a fixed set of drafts, one JSON line per check: proof that a change is speed
only.

    python -m bench.findings before.jsonl      # on the old code
    python -m bench.findings after.jsonl       # on the new code
    cmp before.jsonl after.jsonl               # identical, `incomplete` flags included

The drafts: the dev corpus (not the holdout), the shared sample, every rule example, and seeded
benchmark drafts of 280, 2,000 and 60,000 characters built from the default pack's own phrases
(regex gate literals, which speed work changes, stay out of them). Each is checked in both
languages with the default pack. This is how the 2026-11-29 speed work was kept result-neutral.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def drafts(pack) -> list[str]:
    """The fixed draft set, in a fixed order."""
    from bench.engine import CORPUS, make_texts

    texts: list[str] = []
    files = sorted((ROOT / "tests" / "corpus").glob("dev-*.jsonl")) + [CORPUS]
    for path in files:
        if not path.is_file():
            continue
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                text = json.loads(line).get("text")
                if isinstance(text, str):
                    texts.append(text)
    phrases = sorted({p for r in pack.rules if r.type == "phrases" for p in r.spec["phrases"]})
    for size, seed, count in ((280, 1, 30), (2000, 2, 30), (2000, 7, 30), (60000, 3, 2)):
        texts += make_texts(phrases, size, seed=seed, count=count)
    texts += [ex.text for r in pack.rules for ex in r.examples]
    return texts


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m bench.findings OUT.jsonl", file=sys.stderr)
        return 2
    import policy

    linter = policy.Linter(policy.load_pack(None))
    texts = drafts(linter.pack)
    with open(argv[0], "w", encoding="utf-8") as out:
        for text in texts:
            for lang in ("vi", "en"):
                result = linter.check(text, lang=lang)
                line = {"f": [f.to_dict() for f in result], "i": result.incomplete}
                out.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(texts)} drafts, {2 * len(texts)} checks → {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
