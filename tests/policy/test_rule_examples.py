"""Every example of every rule of every shipped pack is a test (ids like `ACC001-bad-0`)."""

from __future__ import annotations

import re

import pytest

import policy
from policy.loader import shipped_packs
from policy.model import PREFIXES
from policy.testing import check_example

PACKS: dict[str, policy.Pack] = {}
LOAD_ERRORS: dict[str, str] = {}
for _name in shipped_packs():
    try:
        PACKS[_name] = policy.load_pack(_name)
    except policy.PackError as exc:  # reported by test_shipped_packs_load, not at collection
        LOAD_ERRORS[_name] = str(exc)

LINTERS = {name: policy.Linter(pack, include_preview=True) for name, pack in PACKS.items()}


def _own_rules():
    for name, pack in PACKS.items():
        for rule in pack.rules:
            if rule.pack == pack.id and rule.status not in ("deprecated", "removed"):
                yield name, rule


def _cases():
    for name, rule in _own_rules():
        counters = {"bad": 0, "good": 0}
        for ex in rule.examples:
            n = counters[ex.kind]
            counters[ex.kind] += 1
            yield pytest.param(name, rule, ex, id=f"{rule.code}-{ex.kind}-{n}")


RULES = [pytest.param(name, rule, id=rule.code) for name, rule in _own_rules()]


def test_shipped_packs_load():
    assert not LOAD_ERRORS, "\n".join(LOAD_ERRORS.values())
    assert policy.DEFAULT_PACK in PACKS


def test_default_pack_loads_and_checks():
    pack = policy.load_pack()
    assert pack.id == "vn-mofa" and pack.extends == "vn-base"
    assert isinstance(policy.check("Chào buổi sáng"), policy.CheckResult)


@pytest.mark.parametrize(("pack", "rule", "example"), list(_cases()))
def test_rule_example(pack, rule, example):
    problems = check_example(LINTERS[pack], rule, example)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("pack", "rule"), RULES)
def test_rule_has_enough_examples(pack, rule):
    bad = sum(e.kind == "bad" for e in rule.examples)
    good = sum(e.kind == "good" for e in rule.examples)
    assert bad >= 3, f"{rule.code} {rule.name}: {bad} bad examples, need at least 3"
    assert good >= 3, f"{rule.code} {rule.name}: {good} good examples, need at least 3"


@pytest.mark.parametrize(("pack", "rule"), RULES)
def test_rule_naming(pack, rule):
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), f"{rule.name} is not kebab-case"
    assert not rule.name.startswith(("no-", "banned-")), f"{rule.name}: name the problem"
    assert rule.path.endswith(f"/{rule.category}/{rule.name}.toml"), rule.path
    assert rule.code.startswith(PREFIXES[rule.category]), rule.code
    number = int(rule.code[3:])
    if pack == "vn-base":
        assert 1 <= number <= 100, f"{rule.code}: vn-base numbers from 001"
    elif pack == "vn-mofa":
        assert number >= 101, f"{rule.code}: vn-mofa numbers from 101"


def test_codes_and_names_unique_across_shipped_packs():
    seen: dict[str, str] = {}
    names: dict[str, str] = {}
    for name, rule in _own_rules():
        assert rule.code not in seen, f"{rule.code} in {seen.get(rule.code)} and {name}"
        assert rule.name not in names, f"{rule.name} in {names.get(rule.name)} and {name}"
        seen[rule.code] = name
        names[rule.name] = name
