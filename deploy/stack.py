"""`make deploy-test`: the whole shared deployment on loopback, tested end to end, then stopped.

    python -m deploy.stack                 # what make deploy-test runs
    python -m deploy.stack --serve         # start it all and keep it running until Ctrl-C (to look at it)

1. a throwaway PostgreSQL 15 + PostGIS cluster (as the `postgres` user when run as root);
2. the dataset loaded with the real loader command (python -m insight.store.load_postgres): the committed
   data/ plus ONE restricted demonstration indicator that exists only in this test copy (deploy/restricted_demo);
3. the test OpenID Connect provider (deploy/oidc, npm oidc-provider) with users in two groups;
4. two replicas on the postgres backend, configured through secrets.toml ([insight] and [auth]), behind HAProxy;
5. the page tests through the load balancer: the browser tests (INSIGHT_TEST_SERVER_URL = HAProxy, sign-in
   against the provider) and the AppTests on the postgres backend (pytest --backend=postgres);
6. a load run: 100 sessions at once over Streamlit's websocket protocol through HAProxy (deploy/ws_load.py);
   it must finish with 0 errors; the p95 rerun latency is printed.
Everything it started is stopped on the way out, on success, failure, Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from deploy.local_pg import free_port, start_local_postgres
from deploy.oidc_server import auth_secrets_toml, start_oidc_provider
from deploy.replicas import Cluster
from deploy.restricted_demo import make_restricted_dataset

ROOT = Path(__file__).resolve().parents[1]
SHORT_TTL = 15  # the provider's `brief` user; tests/browser/test_sign_in.py expects the same
LOAD_SESSIONS = 100


def _stop_on_signals() -> None:
    def stop(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)


def _step(text: str) -> None:
    print(f"\n== {text}", flush=True)


def run(serve: bool, pytest_args: list[str]) -> int:
    """Start the stack, run the tests and the load run (or serve), stop everything; the exit code."""
    _stop_on_signals()
    failures: list[str] = []
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="insight-deploy-test-") as tmp:
        work = Path(tmp)
        _step("PostgreSQL 15 + PostGIS")
        database = start_local_postgres()
        stack.callback(database.stop)
        print(f"cluster on 127.0.0.1:{database.port}", flush=True)

        _step("Loading the dataset (data/ + one restricted demonstration indicator) with the loader command")
        folder = make_restricted_dataset(work / "data")
        subprocess.run([sys.executable, "-m", "insight.store.load_postgres", "--dsn", database.url, "--data",
                        str(folder)], cwd=ROOT, check=True)

        lb_port = free_port()
        lb_url = f"http://127.0.0.1:{lb_port}"
        _step("OpenID Connect provider (npm oidc-provider)")
        provider = start_oidc_provider([f"{lb_url}/oauth2callback"], work / "oidc.log", short_ttl=SHORT_TTL)
        stack.callback(provider.stop)
        print(f"issuer {provider.issuer}", flush=True)

        cookie_secret = secrets.token_hex(32)
        secrets_file = work / "secrets.toml"
        secrets_file.write_text("\n".join([
            "[insight]", 'backend = "postgres"', f'database_url = "{database.url}"', "",
            auth_secrets_toml(provider, f"{lb_url}/oauth2callback", cookie_secret)]))
        env = {"STREAMLIT_SECRETS_FILES": str(secrets_file), "STREAMLIT_SERVER_COOKIE_SECRET": cookie_secret}
        for name in ("INSIGHT_BACKEND", "INSIGHT_DATABASE_URL", "INSIGHT_DATA_DIR"):
            os.environ.pop(name, None)  # the replicas take their backend from secrets.toml

        _step("Two replicas on the postgres backend behind HAProxy")
        cluster = Cluster(replicas=2, lb_port=lb_port, env=env, workdir=work / "lb")
        stack.callback(cluster.stop)
        cluster.start()
        print(f"serving {cluster.url}: {cluster.states()}", flush=True)

        if serve:
            print("Serving until Ctrl-C. Users: analyst (public-health), finance, brief (expires quickly).",
                  flush=True)
            try:
                while True:
                    time.sleep(1)
            except KeyboardInterrupt:
                return 0

        _step("Page tests through the load balancer (browser) and on the postgres backend (AppTest)")
        test_env = {**os.environ, "INSIGHT_TEST_SERVER_URL": cluster.url, "INSIGHT_TEST_OIDC_ISSUER": provider.issuer,
                    "INSIGHT_TEST_BACKEND": "postgres", "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "tests/browser", "tests/app", *pytest_args],
                               cwd=ROOT, env=test_env)
        if tests.returncode != 0:
            failures.append(f"page tests exited {tests.returncode}")

        _step(f"Load run: {LOAD_SESSIONS} sessions over Streamlit's websocket protocol through HAProxy")
        load = subprocess.run([sys.executable, "-m", "deploy.ws_load", "--url", cluster.url, "--sessions",
                               str(LOAD_SESSIONS)], cwd=ROOT)
        if load.returncode != 0:
            failures.append("the load run had errors")
        print(f"HAProxy after the load run: {cluster.states()}", flush=True)

        _step("Stopping everything this run started")
    if failures:
        print("deploy-test FAILED: " + "; ".join(failures), flush=True)
        return 1
    print("deploy-test passed", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.stack", description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help="start the stack and keep it running")
    args, pytest_args = parser.parse_known_args(argv)
    try:
        return run(args.serve, pytest_args)
    except KeyboardInterrupt as stop:
        print(f"Interrupted ({stop}); everything started was stopped.", flush=True)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
