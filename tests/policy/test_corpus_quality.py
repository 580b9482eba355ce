"""The labelled corpus stays well-formed; the default pack keeps its figures on the dev corpus."""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

import pytest

import policy
from policy import evaluate

# Floors for the default pack on the dev corpus: under the levels reached on 2026-11-29
# (every category 0.980-1.000 recall, 9/1,894 = 0.48% benign false alarms over 3,596 drafts) and
# kept on 2026-11-30 with the dev-f files (0.983-1.000, 9/2,055 = 0.44% over 3,902) and the
# dev-g files (0.978-1.000, 9/2,177 = 0.41% over 4,128) and dev-h (0.973-1.000, 9/2,199 = 0.41%
# over 4,162; account-trading's low is h-at011, a miss added with it) and dev-i (0.976-1.000,
# 9/2,354 = 0.38% over 4,451; account-trading's low is i-p011 and i-p014, misses added with it)
# and dev-j (0.982-1.000, 8/2,506 = 0.32% over 4,739; i-p014 found, i-p011 relabelled allow),
# so a change that makes the pack worse fails. Raise them as the pack improves; never lower them
# to make a change pass.
MIN_RECALL: dict[str, float] = {category: 0.97 for category in policy.CATEGORIES}
MAX_BENIGN_FALSE_ALARM = 0.008

# Shape of the corpus itself.
MIN_DEV_DRAFTS = 400
MIN_EXPECTED_PER_CATEGORY = 25
MIN_BENIGN_SHARE = 0.5

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
DEV_FILES = sorted(CORPUS.glob("dev-*.jsonl"))
HOLDOUT_FILES = sorted((CORPUS / "holdout").glob("*.jsonl"))
ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


@pytest.fixture(scope="module")
def dev() -> list[evaluate.Draft]:
    return [d for f in DEV_FILES for d in evaluate.read_corpus(f)]


@pytest.fixture(scope="module")
def holdout() -> list[evaluate.Draft]:
    return [d for f in HOLDOUT_FILES for d in evaluate.read_corpus(f)]


def test_corpus_files_exist():
    assert DEV_FILES, f"no dev-*.jsonl under {CORPUS}"
    assert HOLDOUT_FILES, f"no held-out corpus under {CORPUS / 'holdout'}"


def test_every_line_is_valid_and_ids_are_unique_across_files(dev, holdout):
    # read_corpus already rejected malformed JSON, unknown keys and categories, expect∩allow.
    evaluate.check_unique_ids([*dev, *holdout])


def test_dev_corpus_size_and_benign_share(dev):
    benign = sum(1 for d in dev if not d.expect)
    assert len(dev) >= MIN_DEV_DRAFTS
    assert benign / len(dev) >= MIN_BENIGN_SHARE, f"{benign}/{len(dev)} benign"


def test_each_category_has_enough_expected_drafts(dev):
    counts = Counter(c for d in dev for c in d.expect)
    short = {c: counts[c] for c in policy.CATEGORIES if counts[c] < MIN_EXPECTED_PER_CATEGORY}
    assert not short, f"categories below {MIN_EXPECTED_PER_CATEGORY} expected drafts: {short}"


def test_corpus_keeps_its_hard_forms(dev):
    """Mostly NFC, but the dodges a real user types must stay represented."""
    nfd = sum(1 for d in dev if unicodedata.normalize("NFC", d.text) != d.text)
    zero_width = sum(1 for d in dev if ZERO_WIDTH & set(d.text))
    fullwidth = sum(1 for d in dev if any("\uff01" <= ch <= "\uff5e" for ch in d.text))
    languages = Counter(d.lang for d in dev)
    assert nfd >= 5 and zero_width >= 5 and fullwidth >= 5, (nfd, zero_width, fullwidth)
    assert nfd <= len(dev) // 10, "NFD should be the exception"
    assert languages["en"] >= 25 and languages["mixed"] >= 10, languages


@pytest.fixture(scope="module")
def report(dev) -> evaluate.Report:
    return evaluate.evaluate(policy.Linter(policy.load_pack()), dev, "dev")


@pytest.mark.parametrize("category", policy.CATEGORIES)
def test_recall_floor(report, category):
    recall = report.recall(category) or 0.0  # None (no support) is caught by the shape tests
    missed = [o.draft.id for o, c in report.misses if c == category]
    assert recall >= MIN_RECALL[category], (
        f"{category}: recall {recall:.3f} < {MIN_RECALL[category]}; missed: {missed}"
    )


def test_benign_false_alarm_floor(report):
    rate = report.false_alarm_rate or 0.0
    alarms = [(o.draft.id, c, o.reported[c]) for o, c in report.false_alarms if not o.draft.expect]
    assert rate <= MAX_BENIGN_FALSE_ALARM, (
        f"benign false-alarm rate {rate:.3f} > {MAX_BENIGN_FALSE_ALARM}; {alarms}"
    )
