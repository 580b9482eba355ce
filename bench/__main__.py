"""Run every benchmark: `python -m bench [engine|http|browser|observer ...]`.

Benchmarks print ratios against a floor measured in the same run; absolute numbers on this VM
move by ±30% between runs. Nothing here runs under `make test`. `observer` compares builds of the
extension (as shipped / its page-wide MutationObserver removed) on a busy feed, alternating runs.
"""

import importlib
import sys

SUITES = ("engine", "http", "browser", "observer")


def main(argv: list[str]) -> int:
    wanted = argv or list(SUITES)
    unknown = sorted(set(wanted) - set(SUITES))
    if unknown:
        print(
            f"error: unknown suite(s) {', '.join(unknown)}; choose from {', '.join(SUITES)}",
            file=sys.stderr,
        )
        return 2
    status = 0
    for name in wanted:
        module = importlib.import_module(f"bench.{name}")
        status = max(status, module.main() or 0)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
