"""Start and stop the test OpenID Connect provider (deploy/oidc/provider.mjs, npm `oidc-provider`) on loopback,
and write the Streamlit [auth] secrets that point an app at it. For tests and `make deploy-test` only."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from deploy.local_pg import free_port

OIDC_DIR = Path(__file__).resolve().parent / "oidc"
CLIENT_ID = "insight-dashboard"
CLIENT_SECRET = "insight-test-secret-not-for-production"


def node_available() -> bool:
    """True when node and the provider's npm packages (npm ci in deploy/oidc) are installed."""
    return bool(shutil.which("node")) and (OIDC_DIR / "node_modules" / "oidc-provider").is_dir()


@dataclass
class OidcProvider:
    """A running provider: its issuer URL and process."""

    port: int
    redirect_uris: tuple[str, ...]
    short_ttl: int = 20
    process: subprocess.Popen | None = None
    log: Path | None = None

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def start(self, log: Path) -> None:
        """Start node on the port and wait until the discovery document answers."""
        self.log = log
        env = {**os.environ, "OIDC_PORT": str(self.port), "OIDC_REDIRECT_URIS": ",".join(self.redirect_uris),
               "OIDC_CLIENT_SECRET": CLIENT_SECRET, "OIDC_SHORT_TTL": str(self.short_ttl)}
        with log.open("ab") as out:
            self.process = subprocess.Popen(["node", str(OIDC_DIR / "provider.mjs")], env=env, stdout=out,
                                            stderr=subprocess.STDOUT, cwd=OIDC_DIR)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oidc-provider exited: {log.read_text(errors='replace')[-1500:]}")
            try:
                with urllib.request.urlopen(self.metadata_url, timeout=2) as response:
                    if json.load(response).get("issuer") == self.issuer:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("oidc-provider did not answer in 30 s")

    def stop(self) -> None:
        """Stop the provider (safe to call twice)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start_oidc_provider(redirect_uris: list[str], log: Path, port: int | None = None,
                        short_ttl: int = 20) -> OidcProvider:
    """Start the test provider for these redirect URIs (the apps' /oauth2callback)."""
    provider = OidcProvider(port or free_port(), tuple(redirect_uris), short_ttl)
    provider.start(log)
    return provider


def auth_secrets_toml(provider: OidcProvider, redirect_uri: str, cookie_secret: str) -> str:
    """The [auth] section of secrets.toml for an app at redirect_uri signing in with this provider."""
    return "\n".join([
        "[auth]",
        f'redirect_uri = "{redirect_uri}"',
        f'cookie_secret = "{cookie_secret}"',
        f'client_id = "{CLIENT_ID}"',
        f'client_secret = "{CLIENT_SECRET}"',
        f'server_metadata_url = "{provider.metadata_url}"',
        'client_kwargs = { scope = "openid profile email groups", prompt = "login" }',
        "",
    ])
