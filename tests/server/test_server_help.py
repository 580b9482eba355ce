"""`python -m server --help`: one voice with rasoat's, Vietnamese first and English second, with
every option's default and every environment-only setting's."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys

from server.__main__ import ENV_ONLY_HELP, build_parser


def _options():
    for action in build_parser()._actions:
        if action.option_strings and action.help != argparse.SUPPRESS:
            yield action


def test_every_option_says_it_in_vietnamese_then_english_with_its_default():
    """The help was English only, and --threads, --pack, --allow-origin, --log-level and
    --access-log did not say what happens without them."""
    wrong = []
    for action in _options():
        vi, sep, en = action.help.partition(" / ")
        if not (sep and vi and en):
            wrong.append((action.option_strings[-1], "not vi / en", action.help))
        elif action.nargs != 0 and not ("mặc định:" in vi and "default:" in en):
            wrong.append((action.option_strings[-1], "no default", action.help))
    assert not wrong, wrong


def test_every_environment_only_setting_says_it_in_both_with_its_default():
    entries = re.split(r"\n  (?=RASOAT_)", ENV_ONLY_HELP)[1:]
    assert len(entries) >= 6
    for entry in entries:
        vi, sep, en = entry.partition(" /\n")  # the Vietnamese lines, then the English ones
        assert sep and "mặc định:" in vi and "default:" in en, entry


def test_help_prints_in_both_languages():
    result = subprocess.run(
        [sys.executable, "-m", "server", "--help"], capture_output=True, text=True, timeout=60
    )
    assert (result.returncode, result.stderr) == (0, "")
    out = result.stdout
    assert out.startswith("cách dùng / usage: python -m server")
    assert "\ntùy chọn / options:\n" in out and "\noptions:" not in out
    assert "Chạy dịch vụ kiểm tra Rasoat" in out and "Serve the Rasoat check service" in out
