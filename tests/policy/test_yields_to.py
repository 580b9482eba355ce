"""`yields_to`: a rule gives way where a rule it names reports an overlapping finding."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from policy_helpers import RULE, write_pack

import policy


def _pack(tmp_path, yields: str = 'yields_to = ["SEC002"]', second_code: str = "SEC002"):
    phrase = RULE.format(type_="phrases", matcher=f'phrases = ["pass wifi"]\n{yields}')
    folder = write_pack(tmp_path, rule=phrase, name="thing")
    value = (
        RULE.format(type_="regex", matcher="patterns = ['Mofa@\\d+']")
        .replace('code = "SEC001"', f'code = "{second_code}"')
        .replace('name = "thing"', 'name = "value"')
        .replace('severity = "error"', 'severity = "warning"')
    )
    (folder / "rules" / "state-secret" / "value.toml").write_text(value, "utf-8")
    return folder


def test_findings_that_do_not_overlap_are_both_kept(tmp_path):
    linter = policy.Linter(policy.load_pack(_pack(tmp_path)))
    found = [(f.code, f.text) for f in linter.check("pass wifi Mofa@2025 nhé")]
    assert found == [("SEC001", "pass wifi"), ("SEC002", "Mofa@2025")]


def test_overlap_drops_the_yielding_finding_at_any_min_severity(tmp_path):
    folder = _pack(tmp_path)
    (folder / "rules" / "state-secret" / "value.toml").write_text(
        (folder / "rules" / "state-secret" / "value.toml")
        .read_text("utf-8")
        .replace("patterns = ['Mofa@\\d+']", "patterns = ['wifi Mofa@\\d+']"),
        "utf-8",
    )
    linter = policy.Linter(policy.load_pack(folder))
    text = "pass wifi Mofa@2025"
    assert [(f.code, f.text) for f in linter.check(text)] == [("SEC002", "wifi Mofa@2025")]
    # The warning it yields to is filtered out by min_severity, yet still takes the place.
    assert linter.check(text, min_severity="error") == []
    # With the other rule disabled there is nothing to yield to.
    assert [f.code for f in linter.check(text, disabled=["SEC002"])] == ["SEC001"]


@pytest.mark.parametrize(
    ("yields", "message"),
    [
        ('yields_to = ["SEC999"]', "unknown rule code(s) SEC999"),
        ('yields_to = ["SEC001"]', "the rule's own code SEC001"),
        ("yields_to = [1]", "yields_to"),
    ],
)
def test_yields_to_is_validated(tmp_path, yields, message):
    with pytest.raises(policy.PackError) as err:
        policy.load_pack(_pack(tmp_path, yields))
    assert message in str(err.value)
    assert "thing.toml:" in str(err.value)


def _yield_by_definition(kept, yields, min_rank):
    """`_yield` as documented, one finding against every other."""
    from policy.model import SEVERITY_RANK

    return [
        entry
        for entry in kept
        if not any(
            code in yields.get(entry[0][2], ()) and s < entry[0][1] and entry[0][0] < e
            for (s, e, code), *_ in kept
        )
        and SEVERITY_RANK[entry[2]] >= min_rank
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 40),
            st.integers(1, 8),
            st.sampled_from(["A", "B", "C"]),
            st.sampled_from(["info", "warning", "error"]),
        ),
        max_size=30,
    ),
    st.integers(0, 2),
)
def test_yield_drops_exactly_the_overlapped_findings(raw, min_rank):
    """The filter of a draft with many findings looks spans up instead of scanning them all
    for each finding (a 100,000-char draft dense with CRD001 and CRD004 took seconds); it must
    still drop exactly what the definition does, in the same order."""
    from policy.engine import _yield

    kept = [((s, s + n, code), 0, sev, None) for s, n, code, sev in raw]
    yields = {"A": frozenset({"B"}), "C": frozenset({"A", "B"})}
    assert _yield(kept, yields, min_rank) == _yield_by_definition(kept, yields, min_rank)
