"""scripts/serve.py (what `make run` starts) warms imports and the landing page's caches without failing."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_serve():
    spec = importlib.util.spec_from_file_location("serve", ROOT / "scripts" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_warm_up_imports_and_fills_the_landing_page_caches_then_says_it_has_finished(monkeypatch, tmp_path):
    serve = load_serve()
    monkeypatch.setattr(serve, "_wait_until_serving", lambda timeout=30.0: None)
    monkeypatch.setattr(serve, "CHART_WARM_DELAY_S", 0.0)
    monkeypatch.setattr(serve, "_warm_division_profiles", lambda: 0)  # tested on its own below
    done = tmp_path / "warm-done"
    monkeypatch.setenv(serve.WARM_DONE_ENV, str(done))
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    serve._warm_imports()  # raises if a warmed module no longer exists or a cached loader fails
    assert done.is_file()

    from components import data

    tiles = data.headlines(data.HEADLINE_INDICATORS, "E10000012", "E92000001")
    assert [t.indicator_id for t in tiles] == list(data.HEADLINE_INDICATORS)


def test_the_server_listens_on_loopback_unless_told_otherwise():
    serve = load_serve()
    app = str(ROOT / "app.py")
    assert serve.streamlit_argv(["--server.port", "8502"], {}) == [
        "streamlit", "run", app, "--server.address", "127.0.0.1", "--server.port", "8502"]
    assert serve.streamlit_argv([], {"INSIGHT_HOST": "0.0.0.0"})[3:5] == ["--server.address", "0.0.0.0"]
    assert serve.streamlit_argv(["--server.address=10.1.2.3"], {"INSIGHT_HOST": "0.0.0.0"}) == [
        "streamlit", "run", app, "--server.address=10.1.2.3"]


def test_the_config_binds_to_loopback_and_accepts_uploads_as_large_as_the_uploader_says():
    import tomllib

    from insight.upload_csv import MAX_UPLOAD_BYTES, MAX_UPLOAD_MB

    server = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]
    assert server["address"] == "127.0.0.1"
    assert server["maxUploadSize"] == MAX_UPLOAD_MB and MAX_UPLOAD_BYTES == MAX_UPLOAD_MB * 1024 * 1024


def test_the_server_runs_with_two_malloc_arenas_unless_told_otherwise():
    serve = load_serve()
    assert serve.server_environ({"PATH": "/bin"}) == {"MALLOC_ARENA_MAX": "2", "PATH": "/bin"}
    assert serve.server_environ({"MALLOC_ARENA_MAX": "4"}) == {"MALLOC_ARENA_MAX": "4"}


def test_the_server_byte_compiles_the_project_packages_it_imports(tmp_path):
    serve = load_serve()
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "module.py").write_text("VALUE = 1\n")
    assert serve.compile_packages(tmp_path, ("pkg",))
    for source in ("__init__.py", "module.py"):
        assert Path(importlib.util.cache_from_source(str(package / source))).is_file()
    assert all((ROOT / name / "__init__.py").is_file() for name in serve.PACKAGES)


def test_warm_up_fills_every_divisions_profile_as_the_profile_page_asks_for_it(monkeypatch):
    serve = load_serve()
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    from components import data
    from insight import schema as s

    areas = data.areas()
    divisions = areas[areas[s.LEVEL] == s.Level.DIVISION]
    assert serve._warm_division_profiles(pause=0) == len(divisions) == 70 <= data.PROFILE_CACHE_ENTRIES

    def not_again(*args, **kwargs):
        raise AssertionError("built again: the warm-up did not fill this cache")

    monkeypatch.setattr(data, "build_division_profile", not_again)
    monkeypatch.setattr(data, "comparison_table", not_again)
    comparator = data.council().short_name
    for code in divisions[s.AREA_CODE]:  # what pages/division_profile.py asks for, served from the caches
        profile = data.division_profile(code, comparator)
        data.profile_comparison((code, *profile.similar), comparator)


def test_the_benchmarks_wait_for_the_file_the_warm_up_touches():
    from harness.servers import WARM_DONE_ENV

    assert load_serve().WARM_DONE_ENV == WARM_DONE_ENV
