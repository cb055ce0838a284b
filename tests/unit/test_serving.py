"""Serving behind HAProxy: the moved-replica notice and the generated HAProxy configuration."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from deploy.replicas import render_haproxy_cfg
from insight.serving import MOVED_NOTICE, replica_move_notice


@pytest.mark.parametrize(("cookie", "here", "expected"), [
    ("app1", "app2", MOVED_NOTICE),  # HAProxy sent this browser here because app1 went away
    ("app2", "app2", None),
    (None, "app2", None),  # a first visit
    ("app1", None, None),  # not behind the load balancer
])
def test_only_a_browser_moved_from_another_replica_is_told(cookie, here, expected):
    assert replica_move_notice(cookie, here) == expected


def test_the_configuration_gets_one_server_line_per_replica_in_each_backend():
    text = render_haproxy_cfg(["app1", "app2", "app3"])
    assert text.count(" check cookie app") == 3 and 'server app3 "${INSIGHT_REPLICA_3}" check cookie app3' in text
    assert 'server app3 "${INSIGHT_REPLICA_3}" track streamlit/app3' in text
    assert "option httpchk GET /_stcore/health" in text and "timeout tunnel 1h" in text


@pytest.mark.skipif(not shutil.which("haproxy"), reason="haproxy not installed")
def test_haproxy_accepts_the_configuration(tmp_path):
    config = tmp_path / "haproxy.cfg"
    config.write_text(render_haproxy_cfg(["app1", "app2", "app3"]))
    env = {**os.environ, "INSIGHT_LB_BIND": "127.0.0.1:18500", "INSIGHT_HAPROXY_SOCKET": str(tmp_path / "s.sock"),
           "INSIGHT_REPLICA_1": "127.0.0.1:18601", "INSIGHT_REPLICA_2": "127.0.0.1:18602",
           "INSIGHT_REPLICA_3": "127.0.0.1:18603"}
    result = subprocess.run(["haproxy", "-c", "-f", str(config)], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
