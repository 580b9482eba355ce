"""`server/Containerfile`, built and started for real: podman builds the image, buildah runs it.

This machine reaches no registry of container images, so the base the Containerfile names,
`python:3.11-slim`, is stood in by an image made here from Debian's own packages: bookworm with
its Python 3.11 in a virtual environment at `/usr/local`, so that `python` and `pip` are in
`/usr/local/bin` and pip may install into it, as in the official image. Everything after `FROM`
is the Containerfile's own: the install from PyPI, the user, the prefilter compiled at build
time, the health check, the command.

The sandboxes this runs in refuse the resource limits a container runtime sets (`crun:
setrlimit RLIMIT_NPROC: Operation not permitted`), so `podman run` cannot start the image here;
`buildah run --isolation chroot` runs the image's command as the image's user, in its file
system, with its environment, on the host's network: all of the image, without the runtime.

Needs root, podman, buildah and debootstrap (`apt-get install podman buildah debootstrap`);
`.ci/run` installs them. Without them the tests are skipped, except in CI, where they fail.
The first run makes the base (~40 s, then cached under $XDG_CACHE_HOME/rasoat-tests); then the
build, with the install from PyPI, takes ~15 s.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

import policy

ROOT = Path(__file__).resolve().parents[2]
BASE = "docker.io/library/python:3.11-slim"
TOOLS = ("podman", "buildah", "debootstrap")


def _missing() -> list[str]:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if os.geteuid() != 0:
        missing.append("root")
    return missing


@pytest.fixture(scope="module")
def storage(tmp_path_factory):
    """Flags giving podman and buildah a container store of their own, removed afterwards."""
    missing = _missing()
    if missing:
        why = f"the container tests need {', '.join(missing)} (apt-get install {' '.join(TOOLS)})"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    top = tmp_path_factory.mktemp("containers")
    flags = [
        "--root",
        str(top / "root"),
        "--runroot",
        str(top / "run"),
        "--storage-driver",
        "overlay",
    ]
    yield flags
    subprocess.run(["buildah", *flags, "rm", "--all"], capture_output=True, timeout=120)
    subprocess.run(
        ["podman", *flags, "system", "reset", "--force"], capture_output=True, timeout=120
    )
    shutil.rmtree(top, ignore_errors=True)


def _run(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    done = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(args[:3])} …: {done.returncode}\n{done.stderr[-3000:]}"
    return done


def _base_tarball() -> Path:
    """The stand-in base's file system as a tar, made once with debootstrap and kept."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "rasoat-tests"
    tarball = cache / "bookworm-python3.11-base.tar"
    if tarball.exists():
        return tarball
    cache.mkdir(parents=True, exist_ok=True)
    rootfs = cache / f"rootfs-{uuid.uuid4().hex}"
    try:
        _run(
            "debootstrap",
            "--variant=minbase",
            "--include=python3,python3-venv,ca-certificates",
            "bookworm",
            str(rootfs),
            "http://deb.debian.org/debian",
        )
        # pip inside the build reaches PyPI with this machine's trust store (which may hold a
        # local certificate authority that Debian's bundle lacks).
        shutil.copy("/etc/ssl/certs/ca-certificates.crt", rootfs / "etc/ssl/certs/")
        (rootfs / "etc/pip.conf").write_text(
            "[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n"
        )
        _run("chroot", str(rootfs), "python3", "-m", "venv", "/usr/local")
        partial = tarball.with_suffix(".partial")
        _run("tar", "-C", str(rootfs), "-cf", str(partial), ".")
        partial.rename(tarball)
    finally:
        shutil.rmtree(rootfs, ignore_errors=True)
    return tarball


@pytest.fixture(scope="module")
def image(storage):
    """The image built from server/Containerfile on the stand-in base; its inspect record."""
    _run("podman", *storage, "import", str(_base_tarball()), BASE)
    tag = f"localhost/rasoat-test:{uuid.uuid4().hex[:12]}"
    _run(
        "podman",
        *storage,
        "build",
        "--pull=never",
        "--isolation=chroot",
        "--format=docker",  # OCI images have no HEALTHCHECK: podman drops it from them
        "-f",
        str(ROOT / "server" / "Containerfile"),
        "-t",
        tag,
        str(ROOT),
    )
    (record,) = json.loads(_run("podman", *storage, "image", "inspect", tag).stdout)
    return tag, record


@pytest.fixture(scope="module")
def container(storage, image):
    """A working container of the image (for `buildah run`)."""
    tag, _ = image
    name = f"rasoat-test-{uuid.uuid4().hex[:12]}"
    _run("buildah", *storage, "from", "--pull-never", "--name", name, tag)
    return name


def _run_in_image(storage, container, command, env: dict[str, str] | None = None) -> list[str]:
    """The `buildah run` line that runs `command` in the container's file system as the image's
    user, on the host network."""
    flags = [f"--env={key}={value}" for key, value in (env or {}).items()]
    run = ["run", "--isolation=chroot", "--network=host", *flags, container, "--", *command]
    return ["buildah", *storage, *run]


def _in_image(storage, container, *command: str, env: dict[str, str] | None = None):
    """`command` run in the image (see _run_in_image) to its end."""
    return subprocess.run(
        _run_in_image(storage, container, command, env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_image_says_how_it_runs_and_is_checked(image):
    _, record = image
    config = record["Config"]
    assert config["User"] == "rasoat"
    assert config["Cmd"] == ["python", "-m", "server"]
    assert "8765/tcp" in config["ExposedPorts"]
    env = dict(item.split("=", 1) for item in config["Env"])
    assert (env["RASOAT_HOST"], env["RASOAT_PORT"]) == ("0.0.0.0", "8765")
    # (podman keeps a HEALTHCHECK only in Docker-format images: see the build above)
    assert record["Healthcheck"]["Test"][0] == "CMD-SHELL"
    assert "/api/v1/health" in record["Healthcheck"]["Test"][1]
    assert config["StopSignal"] == "SIGTERM"


def test_the_image_holds_the_package_and_its_compiled_prefilter_but_no_sources(storage, container):
    script = (
        "import json, os, policy; print(json.dumps([sorted(os.listdir('/app')), policy.__file__,"
        " sorted(os.listdir('/var/cache/rasoat/rasoat'))]))"
    )
    listed = _in_image(storage, container, "python", "-c", script)
    assert listed.returncode == 0, listed.stderr
    copied, package, cached = json.loads(listed.stdout)
    # Nothing of tests/, extension/, a virtual environment or the repository is in the image.
    assert not {"tests", "extension", ".venv", ".git"} & set(copied)
    # What runs is the installed package, not the copy in /app.
    assert "site-packages" in package
    # The build compiled the default pack's hyperscan prefilter into the cache: each start loads it.
    assert cached, "the image's cache folder is empty"


def test_the_image_serves_checks_as_its_own_user_and_passes_its_health_check(
    storage, image, container
):
    _, record = image
    port = _free_port()
    env = {"RASOAT_PORT": str(port)}
    uid = _in_image(storage, container, "id", "-un")
    assert (uid.returncode, uid.stdout.strip()) == (0, "rasoat")

    service = subprocess.Popen(
        _run_in_image(storage, container, record["Config"]["Cmd"], env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: the stop below reaches gunicorn too
    )
    try:
        health = _wait_healthy(port, service)
        pack = policy.load_pack()
        assert health["status"] == "ok"
        assert (health["pack"]["id"], health["pack"]["version"]) == (pack.id, pack.version)
        assert health["rules"] == len(pack.rules)

        example = next(
            (rule.code, ex.text)
            for rule in pack.rules
            for ex in rule.examples
            if ex.kind == "bad" and rule.status == "stable"
        )
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/check",
            data=json.dumps({"text": example[1]}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["Cache-Control"] == "no-store"
            found = [m["code"] for m in json.load(response)["matches"]]
        assert example[0] in found

        # The HEALTHCHECK's own command, as the runtime runs it (a shell, in the container).
        probe = _in_image(storage, container, "sh", "-c", record["Healthcheck"]["Test"][1], env=env)
        assert probe.returncode == 0, probe.stderr
    finally:
        # SIGTERM to gunicorn's master, as a container runtime's stop sends it to the command
        # (buildah itself would kill its child outright).
        for pid in _descendants(service.pid):
            if Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[1:3] == [b"-m", b"server"]:
                os.kill(pid, signal.SIGTERM)
                break
        try:
            output, _ = service.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(service.pid, signal.SIGKILL)
            output, _ = service.communicate()
    assert "Shutting down: Master" in output, output[-2000:]
    assert service.returncode == 0, output[-2000:]


def _descendants(pid: int) -> list[int]:
    """The processes under `pid`, parents before children."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, queue = [], [pid]
    while queue:
        for child in sorted(children.get(queue.pop(0), [])):
            found.append(child)
            queue.append(child)
    return found


def _wait_healthy(port: int, service: subprocess.Popen) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if service.poll() is not None:
            raise AssertionError(
                "the service stopped:\n" + (service.stdout.read() if service.stdout else "")
            )
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/api/v1/health", timeout=2
            ) as response:
                return json.load(response)
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the service never answered its health check")
