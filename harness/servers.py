"""Start and stop a real `streamlit run` server on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(command: list[str], port: int, environ: dict[str, str] | None) -> subprocess.Popen[bytes]:
    """Start a server command headless on loopback at ``port``, with this process's environment plus ``environ``."""
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", **(environ or {})}
    return subprocess.Popen(
        [*command, "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def start_streamlit(script: Path, port: int, environ: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Start `streamlit run` headless on loopback; the caller stops it."""
    return _start([sys.executable, "-m", "streamlit", "run", str(script)], port, environ)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server started here: terminate, and kill it if it has not gone within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_healthy(port: int, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """Block until the server answers its health check."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            stderr = process.stderr.read().decode() if process.stderr else ""
            raise RuntimeError(f"streamlit exited: {stderr[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("streamlit did not become healthy in time")


@contextmanager
def running_app(script: Path = ROOT / "app.py") -> Iterator[str]:
    """Serve a script with `streamlit run` on a free loopback port; yields its base URL, stops it after."""
    port = free_port()
    process = start_streamlit(script, port)
    try:
        wait_healthy(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


SERVE = ROOT / "scripts" / "serve.py"
WARM_DONE_ENV = "INSIGHT_WARM_DONE_FILE"  # scripts/serve.py touches this file when its warm-up has finished


def start_served(port: int, environ: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Start the app as `make run` does (scripts/serve.py: bytecode, warm-up, then `streamlit run app.py`),
    headless on loopback; the caller stops it."""
    return _start([sys.executable, str(SERVE)], port, environ)


@contextmanager
def running_served_app(timeout: float = 180.0) -> Iterator[str]:
    """The app as `make run` serves it, on a free loopback port, once its warm-up has finished (so a benchmark
    measures the server a visitor meets after start-up, not its warm-up); yields the base URL, stops it after."""
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        done = Path(folder) / "warm-done"
        process = start_served(port, {WARM_DONE_ENV: str(done)})
        try:
            wait_healthy(port, process)
            deadline = time.monotonic() + timeout
            while not done.exists():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("scripts/serve.py did not finish its warm-up")
                time.sleep(0.2)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop(process)
