"""`python -m server`: serve the check service with gunicorn (what `make run` runs)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

from policy.cli import BilingualParser, _h
from server.problems import Problem, StartUpStop, problem_of
from server.serving import LOG_LEVELS, cannot_listen

EXTENSION_DIR = Path(__file__).resolve().parent.parent / "extension"
# Where the extension looks for the service until told otherwise (DEFAULTS.serviceUrl in
# extension/lib/settings.js; tests/server/test_process.py keeps the two equal).
EXTENSION_DEFAULT_URL = "http://127.0.0.1:8765"
# Addresses of that same default service the extension may also use as they are.
SAME_AS_DEFAULT = {EXTENSION_DEFAULT_URL, "http://localhost:8765"}


# The settings with no flag (the token so that it never shows in `ps`); --help lists them too,
# or a newcomer reading it would not learn that a token exists. Each: Vietnamese, then English.
ENV_ONLY_HELP = """\
thiết lập không có tùy chọn (chỉ qua biến môi trường; chi tiết ở docs/server.md) /
settings with no flag (environment only; docs/server.md has the details):
  RASOAT_TOKEN               bắt buộc `Authorization: Bearer <token>` (hoặc apiKey của
                             LanguageTool) ở mọi đường dẫn trừ health, openapi.json, trang
                             thử và /v2/languages (mặc định: không có) /
                             require `Authorization: Bearer <token>` (or LanguageTool's apiKey)
                             on every route but health, openapi.json, the playground
                             and /v2/languages (default: none)
  RASOAT_MAX_TEXT_CHARS      bản nháp dài nhất, tính bằng ký tự (mặc định: 100000; dài hơn: 413) /
                             longest draft in characters (default: 100000; longer: 413)
  RASOAT_MAX_CONTENT_LENGTH  thân yêu cầu lớn nhất, tính bằng byte (mặc định: 1048576; lớn hơn:
                             413) /
                             largest request body in bytes (default: 1048576; larger: 413)
  RASOAT_RELOAD_INTERVAL     số giây giữa hai lần xem tệp của gói có đổi không (mặc định: 1;
                             0: tắt) /
                             seconds between checks of the pack files (default: 1; 0: off)
  RASOAT_WORKER_CLASS        lớp worker của gunicorn (mặc định: sync) /
                             gunicorn worker class (default: sync)
  RASOAT_NO_CACHE            1, true, yes hoặc on: không giữ bộ lọc hyperscan trong
                             ~/.cache/rasoat (dựng lại mỗi lần chạy, 2-5 giây CPU mỗi gói);
                             0, false, no, off hoặc để trống: giữ; giá trị khác dừng khởi
                             động (mặc định: giữ) /
                             1, true, yes or on: keep no hyperscan prefilter in
                             ~/.cache/rasoat (built anew at each start, 2-5 s of CPU per
                             pack); 0, false, no, off or unset: keep it; anything else
                             stops start-up (default: keep it)
"""


class _Parser(BilingualParser):
    """rasoat's bilingual parser (help headings and `-h` in Vietnamese, then English), whose
    usage errors speak as the rest of `python -m server`: the usage, then `lỗi: …` and
    `error: …` (server/problems.py), exit status 2 as argparse's."""

    def error(self, message: str, vi: str | None = None) -> NoReturn:  # type: ignore[override]
        from policy.cli import argparse_text

        self.print_usage(sys.stderr)
        # argparse's own errors (an unknown flag, `--workers many`) read back as rasoat's are.
        problem = Problem(vi or argparse_text(message, "vi"), message)
        self.exit(2, problem.lines() + "\n")


def _port(parser: _Parser, value: str) -> int:
    # The value may come from RASOAT_PORT: name both, not only the flag. Checked after parsing
    # (not as argparse's `type`, which would keep only the English of the error).
    if not value.strip().isdigit() or int(value) > 65535:
        parser.error(
            f"the port (--port or RASOAT_PORT) must be a whole number from 0 to 65535, "
            f"not {value!r}",
            vi=f"cổng (--port hoặc RASOAT_PORT) phải là một số nguyên từ 0 đến 65535, "
            f"không phải {value!r}",
        )
    return int(value)


def build_parser() -> argparse.ArgumentParser:
    """The parser of `python -m server` (exposed for tests): every help text in Vietnamese, then
    English, with its RASOAT_* variable and its default."""
    env = os.environ.get
    parser = _Parser(
        prog="python -m server",
        description="Chạy dịch vụ kiểm tra Rasoat (tùy chọn ghi đè biến RASOAT_*).\n"
        "Serve the Rasoat check service (flags override RASOAT_* variables).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=ENV_ONLY_HELP,
    )
    parser.add_argument(
        "--host",
        default=env("RASOAT_HOST", "127.0.0.1"),
        help=_h(
            "địa chỉ lắng nghe (RASOAT_HOST; mặc định: 127.0.0.1)",
            "address to listen on (RASOAT_HOST; default: 127.0.0.1)",
        ),
    )
    parser.add_argument(
        "--port",
        default=env("RASOAT_PORT", "8765"),  # a string, checked by parse_args as the flag is
        help=_h(
            "cổng (RASOAT_PORT; mặc định: 8765; 0: chọn một cổng trống)",
            "port (RASOAT_PORT; default: 8765; 0 picks a free one)",
        ),
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help=_h(
            "số tiến trình worker (RASOAT_WORKERS; mặc định: một cho mỗi CPU)",
            "worker processes (RASOAT_WORKERS; default: one per CPU core)",
        ),
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help=_h(
            "số luồng mỗi worker; hơn 1 thì dùng worker gthread (RASOAT_THREADS; mặc định: 1)",
            "threads per worker; >1 switches to gthread workers (RASOAT_THREADS; default: 1)",
        ),
    )
    parser.add_argument(
        "--pack",
        action="append",
        default=None,
        metavar="PACK",
        help=_h(
            "mã hoặc thư mục gói quy tắc; lặp lại để phục vụ nhiều gói, gói đầu là mặc định "
            "(RASOAT_PACK, RASOAT_PACKS; mặc định: vn-mofa)",
            "pack id or folder; repeat to serve several, the first is the default "
            "(RASOAT_PACK, RASOAT_PACKS; default: vn-mofa)",
        ),
    )
    parser.add_argument(
        "--allow-origin",
        action="append",
        default=None,
        metavar="ORIGIN",
        help=_h(
            "một origin web được gọi API, ngoài các tiện ích trình duyệt "
            "(RASOAT_ALLOWED_ORIGINS, cách nhau bằng dấu phẩy; mặc định: không có)",
            "a web origin allowed to call the API besides browser extensions "
            "(RASOAT_ALLOWED_ORIGINS, comma-separated; default: none)",
        ),
    )
    parser.add_argument(
        "--log-level",
        default=None,
        help=_h(
            f"mức log của gunicorn: {', '.join(LOG_LEVELS)} (RASOAT_LOG_LEVEL; mặc định: info)",
            f"gunicorn log level: {', '.join(LOG_LEVELS)} (RASOAT_LOG_LEVEL; default: info)",
        ),
    )
    parser.add_argument(
        "--access-log",
        default=None,
        metavar="FILE",
        help=_h(
            "ghi access log ('-': stdout); chỉ đường dẫn, không bao giờ thân yêu cầu hay "
            "query string (RASOAT_ACCESS_LOG; mặc định: tắt)",
            "write an access log ('-' for stdout); paths only, never bodies "
            "or query strings (RASOAT_ACCESS_LOG; default: off)",
        ),
    )
    return parser


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.port = _port(parser, args.port)
    for flag in ("--workers", "--threads"):
        value = getattr(args, flag[2:])
        if value is not None and value < 1:
            parser.error(f"{flag} must be at least 1", vi=f"{flag} phải từ 1 trở lên")
    return args


def client_host(host: str) -> str:
    """The address a client on this machine uses for a service listening on `host`: the
    loopback address for a wildcard (0.0.0.0, ::), `host` itself otherwise."""
    bare = host.strip("[]")
    if bare in ("0.0.0.0", ""):
        return "127.0.0.1"
    if bare == "::":
        return "::1"
    return bare


def main(argv: list[str] | None = None) -> int:
    """Build the app (loading packs once), print where it is, then hand it to gunicorn."""
    args = parse_args(argv)
    import policy
    from server import create_app
    from server.serving import Server, load_config_file

    overrides: dict[str, object] = {}
    if args.pack:
        overrides["PACK"], overrides["PACKS"] = args.pack[0], args.pack[1:]
    if args.allow_origin:
        overrides["ALLOWED_ORIGINS"] = args.allow_origin
    try:
        app = create_app(overrides)
    except (policy.PolicyError, ValueError) as error:  # a pack, or a malformed RASOAT_* setting
        print(problem_of(error).lines(), file=sys.stderr)
        return 2

    # The flags override RASOAT_* variables: gunicorn.conf.py reads the variables (and checks
    # them, for `gunicorn -c` too), so it gets the flags' values through them.
    for name, value in (
        ("RASOAT_HOST", args.host),
        ("RASOAT_PORT", args.port),
        ("RASOAT_WORKERS", args.workers),
        ("RASOAT_THREADS", args.threads),
        ("RASOAT_LOG_LEVEL", args.log_level),
        ("RASOAT_ACCESS_LOG", args.access_log),
    ):
        if value is not None:
            os.environ[name] = str(value)
    try:
        settings = load_config_file()
    except StartUpStop as stop:  # e.g. RASOAT_WORKERS=many, --log-level loud
        print(stop.problem.lines(), file=sys.stderr)
        return 2
    # Port 0 too: an address not this machine's fails whatever the port.
    problem = cannot_listen(args.host, args.port)
    if problem is not None:
        print(problem.lines(), file=sys.stderr)
        return 2

    # The banner waits until the service listens: it then names the port gunicorn picked for
    # `--port 0`, and a newcomer who reads "load the extension" can do it at once.
    ready = settings.get("when_ready")

    def when_ready(server: Any) -> None:
        if ready is not None:
            ready(server)
        port = server.LISTENERS[0].sock.getsockname()[1] if args.port == 0 else args.port
        print(_banner(app, args.host, port), file=sys.stderr, flush=True)
        if not app.config["TOKEN"] and args.host not in ("127.0.0.1", "localhost", "::1"):
            print(
                "cảnh báo: đang lắng nghe ra ngoài máy này mà không có token; hãy đặt "
                "RASOAT_TOKEN để chỉ các client của bạn dùng được dịch vụ\n"
                "warning: listening beyond this machine without a token; set RASOAT_TOKEN so "
                "only your clients can use the service",
                file=sys.stderr,
                flush=True,
            )

    settings["when_ready"] = when_ready
    Server(app, settings).run()
    return 0


def _banner(app: Any, host: str, port: int) -> str:
    """What `python -m server` prints once it listens: where the service is, the pack it
    serves, and how to load the extension; Vietnamese first, then English, as its help and
    errors. A sentence is two lines, its Vietnamese then its English (so `^Rasoat check
    service:` and `^Reload packs:` still find the English); a line that only names an address
    gives its label in both. Browser menu names are the English ones the docs show."""
    from server.serving import bind_address

    registry = app.extensions["rasoat"]
    default = registry.default
    url = f"http://{bind_address(client_host(host), port)}"
    token = bool(app.config["TOKEN"])
    accelerated = default.linter.accelerated
    pack = f"{default.id} {default.pack.version}"
    rules = len(default.linter.rules)
    lines = [
        f"Dịch vụ kiểm tra Rasoat: {url}/  (gói {pack}, {rules} quy tắc; "
        f"token: {'bắt buộc' if token else 'tắt'}; "
        f"bộ lọc regex: {'hyperscan' if accelerated else 'tắt'})",
        f"Rasoat check service: {url}/  (pack {pack}, {rules} rules; "
        f"token {'required' if token else 'off'}; "
        f"regex prefilter {'hyperscan' if accelerated else 'off'})",
        f"  Trang thử / Playground:  {url}/",
        f"  API:  {url}/api/v1/check   (tài liệu / docs: {url}/api/v1/openapi.json)",
        f"  Tương thích LanguageTool / LanguageTool-compatible:  {url}/v2/check",
    ]
    # Listening on every interface (a container's 0.0.0.0): a browser reaches it, on this
    # machine, at the loopback address (the extension's default when the port is 8765), not at
    # 0.0.0.0, which browsers refuse to connect to.
    if client_host(host) != host.strip("[]"):
        lines += [
            f"  (đang lắng nghe trên mọi giao diện mạng: từ máy khác, hãy dùng tên hoặc địa chỉ "
            f"của máy này thay cho {client_host(host)})",
            f"  (listening on every interface: from another computer, use this machine's name "
            f"or address instead of {client_host(host)})",
        ]
    # Installed from a wheel (the container), the sources' extension/ folder is not there.
    extension_dir = (
        str(EXTENSION_DIR)
        if EXTENSION_DIR.is_dir()
        else "thư mục extension/ của mã nguồn / the extension/ folder of the sources"
    )
    lines += [
        f"Nạp tiện ích / Load the extension: {extension_dir}",
        "  Chrome/Chromium: chrome://extensions → Developer mode → Load unpacked → extension/",
        "  Firefox: about:debugging → This Firefox → Load Temporary Add-on → "
        "extension/manifest.json",
    ]
    # Served elsewhere than where the extension looks by default: say so, or it stays "offline".
    # "Cài đặt" and "Địa chỉ dịch vụ" are the extension's own Vietnamese labels.
    if url not in SAME_AS_DEFAULT:
        lines += [
            f"  rồi trong Cài đặt của tiện ích, đặt Địa chỉ dịch vụ là {url} (chưa đặt thì nó "
            f"tìm {EXTENSION_DEFAULT_URL})",
            f"  then in its Settings, set the service address to {url} (it looks for "
            f"{EXTENSION_DEFAULT_URL} until told otherwise)",
        ]
    lines += [
        "Nạp lại gói: sửa tệp của gói (có hiệu lực trong vòng một giây) hoặc gửi SIGHUP. "
        "Dừng: Ctrl+C.",
        "Reload packs: edit their files (picked up within a second) or send SIGHUP. Stop: Ctrl+C.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
