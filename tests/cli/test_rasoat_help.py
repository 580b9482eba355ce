"""`rasoat --help` and every command's: one voice, Vietnamese first and English second, with the
default of every option that takes a value."""

from __future__ import annotations

import argparse

import pytest
from test_rasoat_cli import rasoat

from policy import evaluate
from policy.cli import build_parser

COMMANDS = ("check", "rules", "explain", "test-pack", "docs", "eval")


def _parsers() -> dict[str, argparse.ArgumentParser]:
    """rasoat's parser and each command's (eval's own, which `rasoat eval` runs)."""
    main = build_parser()
    sub = next(a for a in main._actions if isinstance(a, argparse._SubParsersAction))
    parsers = {"rasoat": main, **sub.choices}
    parsers["eval"] = evaluate.build_parser()
    return parsers


def _options(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if action.option_strings and action.help != argparse.SUPPRESS:
            yield action


def test_every_command_has_a_parser():
    assert set(_parsers()) == {"rasoat", *COMMANDS}


@pytest.mark.parametrize("name", ["rasoat", *COMMANDS])
def test_every_option_says_it_in_vietnamese_then_english(name):
    for action in _options(_parsers()[name]):
        vi, sep, en = action.help.partition(" / ")
        assert sep and vi and en, (name, action.option_strings, action.help)
        assert "default" not in vi and "mặc định" not in en, (name, action.help)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_that_takes_a_value_shows_its_default(name):
    """--color, --disable, --category, docs --output and eval's thresholds did not say what
    happens without them."""
    missing = []
    for action in _options(_parsers()[name]):
        if action.nargs == 0:  # a switch: off unless given
            continue
        vi, _, en = action.help.partition(" / ")
        if action.required:
            ok = "bắt buộc" in vi and "required" in en
        else:
            ok = "mặc định:" in vi and "default:" in en
        if not ok:
            missing.append((action.option_strings[-1], action.help))
    assert not missing, missing


@pytest.mark.parametrize("command", [(), *((c,) for c in COMMANDS)])
def test_help_headings_speak_both_languages(command):
    """argparse's own headings ("usage:", "options:") were English between bilingual texts."""
    out = rasoat(*command, "--help")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"cách dùng / usage: rasoat {' '.join(command)}".rstrip())
    assert "\ntùy chọn / options:\n" in out.stdout
    assert "\noptions:" not in out.stdout and "positional arguments:\n" not in out.stdout.replace(
        "đối số / positional arguments:\n", ""
    )
