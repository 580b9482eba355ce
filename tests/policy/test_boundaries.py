"""The engine is pure: importing and using `policy` must never pull in Flask."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys
class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name == "flask" or name.startswith(("flask.", "werkzeug")):
            raise ImportError(f"policy must not import {name}")
sys.meta_path.insert(0, Blocker())
sys.modules["flask"] = None
import policy, policy.cli, policy.formatters.json, policy.formatters.sarif, policy.formatters.text
import policy.docs, policy.testing
policy.check("bán nick fb, gọi 0912345678")
loaded = [m for m in sys.modules if sys.modules[m]]
assert not any(m == "flask" or m.startswith(("flask.", "werkzeug")) for m in loaded)
print("ok")
"""


def test_policy_imports_without_flask():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
