"""A throwaway PostgreSQL 15 + PostGIS cluster in a folder, on a loopback port (for tests and deploy-test).

PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` system user (created by
Debian's package) and its commands run through `runuser`. Authentication is `trust` on 127.0.0.1 only.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "insight"
DATABASE = "insight"


def pg_bin_dir() -> Path:
    """The folder of initdb/pg_ctl: $PG_BIN, else the newest /usr/lib/postgresql/<v>/bin, else the PATH."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if versions:
        return Path(versions[-1]).parent
    found = shutil.which("initdb")
    if not found:
        raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql postgresql-15-postgis-3")
    return Path(found).parent


def postgis_installed() -> bool:
    """True when the PostGIS extension files are installed for the cluster's PostgreSQL."""
    try:
        version = pg_bin_dir().parent.name
    except RuntimeError:
        return False
    return Path(f"/usr/share/postgresql/{version}/extension/postgis.control").exists()


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LocalPostgres:
    """A running cluster: its folder, port and the URL of its `insight` database."""

    root: Path
    port: int
    run_as: str | None  # the OS user owning the cluster when started as root

    @property
    def url(self) -> str:
        """postgresql:// URL of the insight database (trust authentication on loopback)."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{DATABASE}"

    def _cmd(self, *args: str) -> list[str]:
        return ["runuser", "-u", self.run_as, "--", *args] if self.run_as else list(args)

    def start(self) -> None:
        """initdb (once), start on the port and create the insight database; raise with the log on failure."""
        bindir = pg_bin_dir()
        data, log, sockets = self.root / "data", self.root / "postgres.log", self.root / "sockets"
        if not data.exists():
            self.root.mkdir(parents=True, exist_ok=True)
            sockets.mkdir(exist_ok=True)
            if self.run_as:
                shutil.chown(self.root, self.run_as)
                shutil.chown(sockets, self.run_as)
                self.root.chmod(0o755)
            result = subprocess.run(self._cmd(str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER,
                                              "--auth=trust", "-E", "UTF8", "--locale=C"),
                                    capture_output=True, text=True)
            if result.returncode != 0:
                raise RuntimeError(f"initdb failed: {result.stderr.strip()[-2000:]}")
        options = (f"-p {self.port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        result = subprocess.run(self._cmd(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options,
                                          "-w", "-t", "60", "start"), capture_output=True, text=True)
        if result.returncode != 0:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"PostgreSQL did not start: {result.stderr.strip()}\n{tail}")
        self._create_database()

    def create_database(self, name: str) -> str:
        """Create another (empty) database in the cluster; returns its URL."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{name}"

    def _create_database(self) -> None:
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/postgres",
                                     autocommit=True, connect_timeout=5) as conn:
                    exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone()
                    if not exists:
                        conn.execute(f"CREATE DATABASE {DATABASE}")
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop(self, *, remove: bool = True) -> None:
        """Stop the cluster (fast shutdown) and delete its folder; safe to call twice."""
        data = self.root / "data"
        if (data / "postmaster.pid").exists():
            subprocess.run(self._cmd(str(pg_bin_dir() / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"),
                           capture_output=True)
        if remove:
            shutil.rmtree(self.root, ignore_errors=True)


def start_local_postgres(port: int | None = None) -> LocalPostgres:
    """Create a cluster in a new folder under the temp dir and start it (as `postgres` when run as root)."""
    run_as = "postgres" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="insight-pg-"))
    cluster = LocalPostgres(root, port or free_port(), run_as)
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    return cluster
