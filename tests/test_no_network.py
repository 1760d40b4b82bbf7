"""``check`` opens no network socket: plans never leave the machine.

Socket creation, connection and name lookup are made to fail, and record
the attempt (code that catches the error is still caught out), first in
this process and then in a fresh interpreter through ``sitecustomize``, so
that import-time side effects count too. Each corpus format is audited.

One attempt is expected and allowed: importing spaCy imports its own CLI
(``spacy/__init__`` -> ``spacy.cli.info`` -> ``spacy.cli.download`` ->
``requests`` -> ``urllib3``), and ``urllib3`` probes at import whether IPv6
works by binding a socket to ``::1`` (``urllib3.util.connection._has_ipv6``).
That socket is never connected and sends nothing; blocked, urllib3 simply
records "no IPv6". Avoiding the import would mean patching spaCy's package
initialisation, which is not cheap; ``ehcp_audit``'s own code imports no
network module at all (the last test). Everything else is refused outright.
"""

from __future__ import annotations

import ast
import io
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from ehcp_audit.cli import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus_samples"
PLANS = [
    CORPUS / "sample_plan.docx",
    CORPUS / "p01.pdf",
    CORPUS / "p08.txt",
    CORPUS / "p06.md",
]
NETWORK_MODULES = {"socket", "ssl", "http", "urllib", "requests", "httpx", "urllib3", "aiohttp"}
PROBE = " (urllib3 IPv6 probe at import)"

#: Runs in this process and, as sitecustomize, in a fresh one; imports only socket and sys.
BLOCKER = f"""
import socket, sys

def install(report, patch=setattr):
    def blocked(name):
        def refuse(*args, **kwargs):
            caller = sys._getframe(1).f_code
            probe = caller.co_name == "_has_ipv6" and "urllib3" in caller.co_filename
            report(name + ({PROBE!r} if probe else ""))
            raise OSError("network blocked by the test (" + name + ")")
        return refuse

    patch(socket.socket, "__init__", blocked("socket"))
    patch(socket.socket, "connect", blocked("connect"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        patch(socket, name, blocked(name))
"""

SITECUSTOMIZE = BLOCKER + 'install(lambda what: sys.stderr.write(f"NETWORK ATTEMPT: {what}\\n"))\n'


def unexpected(attempts: list[str]) -> list[str]:
    return [attempt for attempt in attempts if not attempt.endswith(PROBE)]


def block_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every way of opening a socket fail (until the monkeypatch is undone); list the
    attempts."""
    seen: list[str] = []
    namespace: dict[str, object] = {}
    exec(BLOCKER, namespace)
    namespace["install"](seen.append, monkeypatch.setattr)  # type: ignore[operator]
    return seen


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every way of opening a socket fail, and list the attempts."""
    return block_network(monkeypatch)


def test_the_blocker_blocks(attempts: list[str]) -> None:
    with pytest.raises(OSError, match="blocked"):
        socket.create_connection(("localhost", 9))
    with pytest.raises(OSError, match="blocked"):
        socket.socket()
    assert attempts == ["create_connection", "socket"]


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.suffix[1:])
def test_check_opens_no_socket(plan: Path, attempts: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", str(plan), "--format", "json"], stdout=out, stderr=err) == 0, err
    assert json.loads(out.getvalue())["sections"]
    assert unexpected(attempts) == []


def test_serve_audits_an_upload_without_opening_a_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    """``ehcp-audit serve``'s request handler: each corpus format uploaded, audited, answered.

    The application runs in process (Starlette's TestClient, no socket of
    its own); the client's event loop is started before the network is
    blocked, since the loop's own wake-up socket pair is not the handler's.
    """
    testclient = pytest.importorskip("starlette.testclient")
    from ehcp_audit.web import make_app

    with testclient.TestClient(make_app()) as client:
        seen = block_network(monkeypatch)
        for plan in PLANS:
            response = client.post("/check", files={"plan": (plan.name, plan.read_bytes())})
            assert response.status_code == 200, plan
            assert 'id="download"' in response.text
        monkeypatch.undo()
    assert unexpected(seen) == []


def test_check_in_a_fresh_interpreter_opens_no_socket(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    script = (
        "from pathlib import Path\n"
        "from ehcp_audit.cli import main\n"
        f"for plan in {[str(p) for p in PLANS]!r}:\n"
        "    report = Path(plan).name + '.json'\n"
        "    assert main(['check', plan, '--format', 'json', '-o', report]) == 0, plan\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    attempts = [line.split(": ", 1)[1] for line in proc.stderr.splitlines() if "NETWORK" in line]
    assert unexpected(attempts) == [], proc.stderr
    assert len(list(tmp_path.glob("*.json"))) == len(PLANS)
    blocked = subprocess.run(  # the sitecustomize really is in force there
        [sys.executable, "-c", "import socket; socket.socket()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "NETWORK ATTEMPT: socket" in blocked.stderr


def test_ehcp_audit_imports_no_network_module() -> None:
    """Our own code names no network module, so none is loaded on its account."""
    package = ROOT / "src" / "ehcp_audit"
    offenders = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            offenders += [
                f"{path.relative_to(package)}: {name}"
                for name in names
                if name.split(".")[0] in NETWORK_MODULES
            ]
    assert offenders == []
