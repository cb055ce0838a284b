"""Serve the dashboard (what `make run` uses): `streamlit run app.py`, with the heavy imports warmed.

Streamlit runs app.py only when the first browser connects, so pandas, pyarrow and the domain package
would be imported, and the data loaded, while the first visitor waits. Here a background thread does that
as soon as the server is up, while the browser is still loading the front end: it imports them and fills
the server's caches for the landing page, and a few seconds later for every division's profile. Any
`streamlit run` options may follow, e.g. `python scripts/serve.py --server.port 8502`. It listens on 127.0.0.1
unless `--server.address` or the INSIGHT_HOST environment variable says otherwise.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHART_WARM_DELAY_S = 5.0  # seconds after the landing page's caches are warm before altair is imported
DIVISION_WARM_PAUSE_S = 0.05  # between two divisions' profiles warmed, so a visitor's rerun is not held up
WARM_DONE_ENV = "INSIGHT_WARM_DONE_FILE"  # a file touched when the warm-up has finished (the benchmarks wait for it)


def _warm_imports() -> None:
    _wait_until_serving()
    import pandas  # noqa: F401
    import pyarrow.parquet  # noqa: F401
    from streamlit.string_util import is_emoji

    import components.data  # noqa: F401  (the domain package, loaders and statistics)
    import components.frame  # noqa: F401
    import components.sidebar  # noqa: F401
    import components.tiles  # noqa: F401

    _quiet_streamlit_here()  # every streamlit module the app uses is imported by now
    is_emoji("📊")  # compiles Streamlit's emoji pattern (page icons) once, ahead of the first visitor
    _warm_landing_page_caches()
    # altair is imported when a chart is first built (views.lazy_altair; the landing page draws none): once the
    # first visitor's page has had time to draw, import it here, so the next page does not wait for it
    time.sleep(CHART_WARM_DELAY_S)
    import altair  # noqa: F401

    _warm_division_profiles()
    done = os.environ.get(WARM_DONE_ENV)
    if done:
        Path(done).touch()


def _warm_division_profiles(pause: float = DIVISION_WARM_PAUSE_S) -> int:
    """Fill the server's caches with every division's profile as the profile page first shows it (its figures,
    spine chart and locator map, IMD trend, Needs attention and the comparison with its most similar divisions),
    one division at a time with a pause between, so an officer's first visit to a division does not wait for it
    (about 60-90 ms of the page's 85-160 ms on a first visit). Returns how many were warmed; no more than the
    caches hold, and a division whose profile cannot be built is left to the page to explain."""
    from components import data
    from insight import schema as s
    from insight.config import load_config
    from insight.errors import InsightError

    comparator = load_config().short_name
    areas = data.areas()
    divisions = areas[areas[s.LEVEL] == s.Level.DIVISION].head(data.PROFILE_CACHE_ENTRIES)
    warmed = 0
    for code, district in zip(divisions[s.AREA_CODE], divisions[s.PARENT_CODE], strict=True):
        try:
            profile = data.division_profile(code, comparator)
            data.profile_specs(code, comparator)
            data.imd_trend(code, str(district))
            data.attention_panel((code, str(district)), code)
            data.profile_comparison((code, *profile.similar), comparator)
        except InsightError:
            continue
        warmed += 1
        time.sleep(pause)
    return warmed


class _NotFromThisThread(logging.Filter):
    """Drops the log records of the thread that made it (Streamlit's "missing ScriptRunContext" and "no script
    run context" warnings, one per cached call, while the warm-up fills the caches outside any session)."""

    def __init__(self) -> None:
        super().__init__()
        self.thread_name = threading.current_thread().name  # not its ident, which a later thread may reuse

    def filter(self, record: logging.LogRecord) -> bool:
        return record.threadName != self.thread_name


def _quiet_streamlit_here() -> None:
    """Silence Streamlit's loggers for the calling thread only (each has its own level and handler)."""
    quiet = _NotFromThisThread()
    for name in list(logging.root.manager.loggerDict):
        if name == "streamlit" or name.startswith("streamlit."):
            logging.getLogger(name).addFilter(quiet)


def _warm_landing_page_caches() -> None:
    """Fill the server's own caches (the runtime is up, so st.cache_data stores there) for the landing page."""
    from components import data
    from insight.config import load_config

    council = load_config()
    data.filter_options()
    data.headlines(data.HEADLINE_INDICATORS, council.county_code, council.england_code)
    data.sparkline_specs(data.HEADLINE_INDICATORS, council.county_code, council.england_code)


def _wait_until_serving(timeout: float = 30.0) -> None:
    """Let the server start first: imports hold the GIL and would only delay its start-up."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.runtime import RuntimeState

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Runtime.exists() and Runtime.instance().state != RuntimeState.INITIAL:
            return
        time.sleep(0.02)


GC_INTERVAL_S = 10.0


def _collect_garbage_periodically(interval: float = GC_INTERVAL_S) -> None:
    """A full garbage collection every ``interval`` seconds, in place of Streamlit's after every script run
    (runner.postScriptGC = false in .streamlit/config.toml: that one cost ~200-250 ms of every rerun). A closed
    session's upload is held in reference cycles that only a full collection frees: without any, six 19.5 MB
    uploads left RSS +77% after their sessions were dropped (scripts/load_harness.py)."""
    import gc

    while True:
        time.sleep(interval)
        gc.collect()


DEFAULT_HOST = "127.0.0.1"  # this machine only; `make run HOST=0.0.0.0` (or INSIGHT_HOST) opens it up


def streamlit_argv(args: list[str], environ: dict[str, str]) -> list[str]:
    """The `streamlit run` command line: app.py, the bind address (INSIGHT_HOST, else loopback) unless the
    arguments give one, then the arguments."""
    given = any(a == "--server.address" or a.startswith("--server.address=") for a in args)
    address = [] if given else ["--server.address", environ.get("INSIGHT_HOST") or DEFAULT_HOST]
    return ["streamlit", "run", str(ROOT / "app.py"), *address, *args]


PACKAGES = ("insight", "views", "components")  # the project's own modules (pages and app.py Streamlit compiles)


def compile_packages(root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> bool:
    """Byte-compile the project's packages where their bytecode is missing or stale, as pip does for an installed
    package; True when every module has bytecode.

    Python writes bytecode on first import only when allowed (not under PYTHONDONTWRITEBYTECODE, as on the machines
    the benchmarks run on), and otherwise compiles every module again at each start: about 0.25 s of the server's
    start-up CPU (the project's imports 0.38-0.56 s without bytecode, 0.21-0.32 s with it, 3 starts each), spent
    while the first visitor's browser is loading the front end. Checking an up-to-date tree takes about 6 ms. A
    tree that cannot be written (a read-only image) is served as it is."""
    import compileall

    try:
        return all(compileall.compile_dir(root / name, quiet=2) for name in packages)
    except OSError:
        return False


MALLOC_ENV = {"MALLOC_ARENA_MAX": "2"}


def server_environ(environ: dict[str, str]) -> dict[str, str]:
    """The environment the server runs in: glibc limited to two malloc arenas unless set otherwise.

    Streamlit runs every session's script in its own thread, and glibc gives threads their own arenas (up to
    8 per core); memory a closed session freed in one arena is then rarely returned to the system. Measured
    with scripts/load_harness.py: six 19.5 MB uploads, their sessions closed and dropped, left RSS +41% over
    the baseline with glibc's default and +6% with two arenas."""
    return {**MALLOC_ENV, **environ}


def main() -> None:
    """Byte-compile the project's packages, start warming, then hand over to Streamlit's own command line
    (re-executed once with the malloc setting, which glibc reads only when a process starts)."""
    wanted = server_environ(dict(os.environ))
    if wanted != dict(os.environ):
        os.execve(sys.executable, [sys.executable, *sys.argv], wanted)
    compile_packages()
    threading.Thread(target=_warm_imports, name="warm-imports", daemon=True).start()
    threading.Thread(target=_collect_garbage_periodically, name="collect-garbage", daemon=True).start()
    from streamlit.web import cli

    sys.argv = streamlit_argv(sys.argv[1:], dict(os.environ))
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
