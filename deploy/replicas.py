"""Start N stateless Streamlit replicas on loopback ports behind HAProxy (deploy/haproxy.cfg).

    python -m deploy.replicas --replicas 2 --port 8500            # serve until Ctrl-C; SIGHUP = rolling restart

Each replica is `scripts/serve.py` (what `make run` starts) on 127.0.0.1:<base-port + i>, named app1, app2, ...
(INSIGHT_REPLICA_NAME), all with the same cookie secret, so the XSRF and sign-in cookies one replica signs are
valid on the others. The data backend comes from the environment as usual (INSIGHT_BACKEND=postgres ...).
A rolling restart takes one replica at a time out of HAProxy (maintenance), stops it, starts it again,
waits for its health check and puts it back.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HAPROXY_CFG = ROOT / "deploy" / "haproxy.cfg"
BACKEND = "streamlit"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, timeout: float = 90.0, process: subprocess.Popen | None = None) -> None:
    """Block until GET url answers 200 (raise if the process dies or time runs out)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout:.0f} s")


def render_haproxy_cfg(names: list[str], template: Path = HAPROXY_CFG) -> str:
    """deploy/haproxy.cfg with each backend's `server` lines repeated once per replica (app1 -> appN,
    INSIGHT_REPLICA_1 -> INSIGHT_REPLICA_N, following the backend's first server line)."""
    out: list[str] = []
    pattern: str | None = None
    for line in [*template.read_text().splitlines(), ""]:
        if re.match(r"\s+server app1 ", line):
            pattern = line
            continue
        if re.match(r"\s+server app\d+ ", line):
            continue
        if pattern is not None:
            for i, name in enumerate(names, start=1):
                out.append(pattern.replace("app1", name).replace("INSIGHT_REPLICA_1", f"INSIGHT_REPLICA_{i}"))
            pattern = None
        out.append(line)
    return "\n".join(out).rstrip("\n") + "\n"


@dataclass
class Replica:
    """One Streamlit server process."""

    name: str
    port: int
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [sys.executable, str(ROOT / "scripts" / "serve.py"), "--server.port", str(self.port),
                   "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def wait(self, timeout: float = 90.0) -> None:
        wait_healthy(f"{self.url}/_stcore/health", timeout, self.process)

    def stop(self, timeout: float = 15.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class Cluster:
    """N replicas and HAProxy on loopback; `with Cluster(...) as cluster:` stops everything on exit."""

    replicas: int = 2
    lb_port: int = 0
    env: dict[str, str] = field(default_factory=dict)  # extra environment for the replicas
    workdir: Path | None = None
    members: list[Replica] = field(default_factory=list)
    haproxy: subprocess.Popen | None = None

    def __enter__(self) -> Cluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Where users connect (HAProxy)."""
        return f"http://127.0.0.1:{self.lb_port}"

    @property
    def socket_path(self) -> Path:
        assert self.workdir is not None
        return self.workdir / "haproxy.sock"

    def start(self) -> None:
        """Start every replica, wait for their health checks, then HAProxy, and wait until all are UP."""
        self._own_workdir = self.workdir is None  # a folder made here is deleted by stop()
        self.workdir = Path(self.workdir or tempfile.mkdtemp(prefix="insight-lb-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.lb_port = self.lb_port or free_port()
        base = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", **self.env}
        base.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
        for i in range(1, self.replicas + 1):
            name = f"app{i}"
            env = {**base, "INSIGHT_REPLICA_NAME": name}
            self.members.append(Replica(name, free_port(), env, self.workdir / f"{name}.log"))
        for replica in self.members:
            replica.start()
        for replica in self.members:
            replica.wait()
        config = self.workdir / "haproxy.cfg"
        config.write_text(render_haproxy_cfg([r.name for r in self.members]))
        env = {**os.environ, "INSIGHT_LB_BIND": f"127.0.0.1:{self.lb_port}",
               "INSIGHT_HAPROXY_SOCKET": str(self.socket_path),
               **{f"INSIGHT_REPLICA_{i}": f"127.0.0.1:{r.port}" for i, r in enumerate(self.members, start=1)}}
        with (self.workdir / "haproxy.log").open("ab") as log:
            self.haproxy = subprocess.Popen(["haproxy", "-db", "-f", str(config)], env=env, stdout=log,
                                            stderr=subprocess.STDOUT)
        wait_healthy(f"{self.url}/_stcore/health", 30, self.haproxy)
        for replica in self.members:
            self.wait_state(replica.name, "UP")

    def admin(self, command: str) -> str:
        """Send one command to HAProxy's admin socket and return its answer."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            sock.connect(str(self.socket_path))
            sock.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def states(self) -> dict[str, str]:
        """Replica name -> HAProxy status (UP, DOWN, MAINT, DRAIN, ...)."""
        lines = self.admin("show stat").splitlines()
        header = lines[0].lstrip("# ").split(",")
        rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:] if line]
        return {r["svname"]: r["status"] for r in rows if r.get("pxname") == BACKEND
                and r["svname"] not in ("FRONTEND", "BACKEND")}

    def wait_state(self, name: str, status: str, timeout: float = 60.0) -> None:
        """Wait until HAProxy reports a replica in `status` (UP, MAINT, ...)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.states().get(name) == status:
                return
            time.sleep(0.2)
        raise RuntimeError(f"{name} did not reach {status} in HAProxy: {self.states()}")

    def replica(self, name: str) -> Replica:
        """The replica called `name`."""
        return next(r for r in self.members if r.name == name)

    def take_out(self, name: str) -> None:
        """Stop sending anyone to a replica (its users' reconnects go to the others) and stop it."""
        self.admin(f"set server {BACKEND}/{name} state maint")
        self.wait_state(name, "MAINT")
        self.replica(name).stop()

    def bring_back(self, name: str) -> None:
        """Start a replica that was taken out, wait for its health check, and put it back in rotation."""
        replica = self.replica(name)
        replica.start()
        replica.wait()
        self.admin(f"set server {BACKEND}/{name} state ready")
        self.wait_state(name, "UP")

    def rolling_restart(self) -> None:
        """Restart every replica, one at a time; the others keep serving."""
        for replica in self.members:
            self.take_out(replica.name)
            self.bring_back(replica.name)

    def stop(self) -> None:
        """Stop HAProxy and every replica (safe to call twice)."""
        if self.haproxy is not None and self.haproxy.poll() is None:
            self.haproxy.terminate()
            try:
                self.haproxy.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.haproxy.kill()
        for replica in self.members:
            replica.stop()
        if getattr(self, "_own_workdir", False) and self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.replicas", description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8500, help="HAProxy's port on 127.0.0.1 (default 8500)")
    args = parser.parse_args(argv)
    restart_requested = False

    def on_hup(*_: object) -> None:
        nonlocal restart_requested
        restart_requested = True

    def on_term(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGHUP, on_hup)
    signal.signal(signal.SIGTERM, on_term)
    with Cluster(args.replicas, args.port) as cluster:
        print(f"Serving {cluster.url} with {args.replicas} replicas "
              f"({', '.join(f'{r.name}=:{r.port}' for r in cluster.members)}); logs in {cluster.workdir}. "
              f"kill -HUP {os.getpid()} for a rolling restart, Ctrl-C to stop.", flush=True)
        try:
            while True:
                time.sleep(0.5)
                if restart_requested:
                    restart_requested = False
                    cluster.rolling_restart()
                    print("Rolling restart done:", cluster.states(), flush=True)
        except KeyboardInterrupt:
            print("Stopping.", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
