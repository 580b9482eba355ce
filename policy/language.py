"""Tell Vietnamese from English: the two languages the engine writes its messages in.

A draft is weighed word by word. A word with Vietnamese marks (or "đ") is Vietnamese; so is one
of the syllables Vietnamese drafts typed without marks use most ("khong", "duoc", "nguoi"). One
of English's most common words is English; so, more weakly, is any other ASCII word that is no
Vietnamese syllable at all ("policy", "check"), while a word shaped like a syllable ("ban",
"tin") leans a little to Vietnamese. Words common to both as typed ("an", "to", "do", "the",
"can", "me", "it", "not") count for neither, since an unmarked Vietnamese draft is full of them
("co the", "do do", "an com"), and so do loanwords both use ("ok", "fb", "acc", "online").

Like LanguageTool's own identifier (which also weighs common words and the letters a script
uses), only the first `MAX_CHARS` characters are read: enough to decide, and the cost stays
flat whatever the draft's length.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .telex import _MARKED, _SYLLABLE

MAX_CHARS = 1000  # LanguageTool's LanguageIdentifier reads 1,000 characters by default

_WORDS = re.compile(r"[^\W\d_]+")

# Syllables unmarked Vietnamese drafts use most, none of them an English word as written.
_VIETNAMESE = frozenset(
    """
    khong nguoi duoc cua cac nhung trong mot cho den nay voi thi minh toi gi nhe roi lam nhieu
    ngay thang mua gia lien nha nuoc viec cong tac thong bao khau tai khoan xin chao cam hom qua
    dang xuong nhu neu nen hoac cung van sao nao dau ve biet muon duong chung ta nhan tien chuyen
    gui la va co em anh chi di ra vao len da se bi ma hay ak oi ah uh vay thoi luon nua ai
    dc ko k j cx ny mk bn nhg trc ng re lh sdt ib
    """.split()
)
# Loanwords Vietnamese posts use as much as English ones do: evidence for neither.
_LOANWORDS = frozenset(
    "ok oke fb facebook zalo acc nick game online link shop page admin group inbox email".split()
)
# English's most common words, none of them a common Vietnamese syllable typed without marks.
_ENGLISH = frozenset(
    """
    and of or if is are was were in for you your this that with we our will please from at by
    have has they she his her what which who there their been would about more when just get how
    its also any some i could should
    """.split()
)


class Detection(NamedTuple):
    """What `detect` decided: `lang` ("vi" or "en"), how sure (0.0–1.0, two decimals), and how
    (`source`: "marks+commonwords", or "fallback" when no word said anything)."""

    lang: str
    confidence: float
    source: str


def detect(text: str) -> Detection:
    """Whether `text` reads as Vietnamese or English (Vietnamese when nothing says either)."""
    vi = en = 0.0
    for match in _WORDS.finditer(text, 0, MAX_CHARS):
        word = match.group().lower()
        if _MARKED.search(word):
            vi += 1
        elif not word.isascii():
            continue  # another script: evidence for neither
        elif word in _LOANWORDS:
            continue
        elif word in _VIETNAMESE:
            vi += 1
        elif word in _ENGLISH:
            en += 1
        elif _SYLLABLE.fullmatch(word):
            vi += 0.25
        elif len(word) > 1:
            en += 0.5
    if not vi and not en:
        return Detection("vi", 0.0, "fallback")
    lang, score = ("vi", vi) if vi >= en else ("en", en)
    return Detection(lang, round(score / (vi + en), 2), "marks+commonwords")
