"""Load harness: N concurrent sessions driven over Streamlit's own websocket protocol (no browsers).

Starts its own server on a free loopback port as `make run` does (scripts/serve.py; `--serve "streamlit run"`
for a bare `streamlit run app.py`) and stops it at the end. Each session opens
`/_stcore/stream` as the browser does, then, for every page, sends a rerun BackMsg with a page name and a query
string (shared filters, page parameters) and then a second rerun that changes a sidebar widget (the theme);
it reads ForwardMsgs until the script has finished. Printed per N (default 10, 50, 100):

* sessions held (all N open at once, each through all its reruns without a dropped socket),
* errors: exceptions shown by the app, timeouts, dropped or refused connections — and, separately, error
  messages the app showed (st.error), with examples,
* rerun latency median and p95 (send of the rerun to the script-finished message),
* server RSS before (after a first pass of the same sessions, which fills the caches), peak, and after
  the sessions close: right away, and once Streamlit has dropped the closed sessions (it keeps a closed
  session for `server.disconnectedSessionTTL` seconds for reconnection, then drops it at its next write to
  session storage: the harness waits the TTL, then opens and closes one probe session).

An upload phase follows (`--uploads`, default 6): sessions that each upload a ~19.5 MB CSV on Data & methods
through the real upload endpoint (with the XSRF cookie), then close; RSS is reported the same way.

    python scripts/load_harness.py                       # or: make load
    python scripts/load_harness.py --sessions 10 --rounds 1 --uploads 0
"""

from __future__ import annotations

import argparse
import asyncio
import http.cookiejar
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import FileURLs, UploadedFileInfo
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Selectbox_pb2 import Selectbox
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.typing import Subprotocol

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("", "trends", "priority_map", "division_profile", "scenarios", "data_methods")
EARLY = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
RERUN_TIMEOUT = 180.0


# ---- the server --------------------------------------------------------------------------------------------
@dataclass
class Server:
    """A `streamlit run` of the app on a loopback port, started and stopped by the harness."""

    app_dir: Path
    session_ttl: int
    how: str = "make run"  # "make run": scripts/serve.py, as `make run` serves; "streamlit run": bare
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", "PYTHONDONTWRITEBYTECODE": "1"}
        serve = self.app_dir / "scripts" / "serve.py"
        command = ([str(serve)] if serve.exists() and self.how == "make run"
                   else ["-m", "streamlit", "run", str(self.app_dir / "app.py")])
        self.process = subprocess.Popen(
            [sys.executable, *command, "--server.headless", "true", "--server.address", "127.0.0.1",
             "--server.port", str(self.port), "--server.fileWatcherType", "none",
             "--server.disconnectedSessionTTL", str(self.session_ttl)],
            cwd=self.app_dir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the server did not become healthy within 60 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rss_mb(self) -> float:
        """Resident memory of the server process (VmRSS), in MB."""
        assert self.process is not None
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")


class RssSampler:
    """Samples the server's RSS every 0.2 s while running; `peak` is the highest seen."""

    def __init__(self, server: Server) -> None:
        self.server, self.peak = server, server.rss_mb()
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            self.peak = max(self.peak, self.server.rss_mb())
            await asyncio.sleep(0.2)

    def __enter__(self) -> RssSampler:
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *_: object) -> None:
        assert self._task is not None
        self._task.cancel()
        self.peak = max(self.peak, self.server.rss_mb())


# ---- one session --------------------------------------------------------------------------------------------
@dataclass
class Run:
    """What one rerun produced."""

    seconds: float
    exceptions: list[str] = field(default_factory=list)
    errors_shown: list[str] = field(default_factory=list)
    selectboxes: dict[str, Selectbox] = field(default_factory=dict)  # label -> Selectbox proto
    uploader_id: str | None = None
    session_id: str | None = None


class Session:
    """One browser-like session: a websocket to /_stcore/stream that asks for reruns."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.ws: websockets.ClientConnection | None = None
        self.session_id: str | None = None

    async def open(self) -> None:
        self.ws = await websockets.connect(f"ws://127.0.0.1:{self.server.port}/_stcore/stream",
                                           subprotocols=[Subprotocol("streamlit")], max_size=None, ping_interval=None,
                                           open_timeout=60)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def rerun(self, page: str, query: str, widgets: Iterable[WidgetState] = ()) -> Run:
        """Ask for a rerun of `page` with `query` and widget values; wait until the script has finished."""
        assert self.ws is not None
        message = BackMsg()
        message.rerun_script.page_name = page
        message.rerun_script.query_string = query
        message.rerun_script.widget_states.widgets.extend(widgets)
        started = time.perf_counter()
        await self.ws.send(message.SerializeToString())
        run = Run(0.0)
        async with asyncio.timeout(RERUN_TIMEOUT):
            while True:
                forward = ForwardMsg()
                forward.ParseFromString(await self.ws.recv())
                kind = forward.WhichOneof("type")
                if kind == "new_session":
                    self.session_id = run.session_id = forward.new_session.initialize.session_id
                elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                    _note_element(forward.delta.new_element, run)
                elif kind == "page_not_found":
                    run.exceptions.append(f"page not found: {page!r}")
                elif kind == "script_finished" and forward.script_finished != EARLY:
                    run.seconds = time.perf_counter() - started
                    return run


def _note_element(element: Element, run: Run) -> None:
    which = element.WhichOneof("type")
    if which == "exception":
        run.exceptions.append(f"{element.exception.type}: {element.exception.message[:200]}")
    elif which == "alert" and element.alert.format == Alert.Format.ERROR:
        run.errors_shown.append(element.alert.body[:200])
    elif which == "selectbox":
        run.selectboxes[element.selectbox.label] = element.selectbox
    elif which == "file_uploader":
        run.uploader_id = element.file_uploader.id


def change_selectbox(run: Run, label: str, rng: random.Random) -> list[WidgetState]:
    """A widget state that picks another option of the selectbox `label` (none if the page has none)."""
    box = run.selectboxes.get(label)
    if box is None or len(box.options) < 2:
        return []
    state = WidgetState(id=box.id)
    state.string_value = rng.choice(list(box.options))
    return [state]


# ---- the plan: what each session asks for ---------------------------------------------------------------------
@dataclass(frozen=True)
class Plan:
    """Query strings per page, drawn once from the dataset with a fixed seed (the warm-up visits them all)."""

    queries: dict[str, tuple[str, ...]]

    @classmethod
    def build(cls, data_dir: Path, seed: int = 11, per_page: int = 4) -> Plan:
        from insight import schema as s
        from insight.loaders import load_dataset

        dataset = load_dataset(data_dir)
        rng = random.Random(seed)
        areas = dataset.areas
        districts = sorted(areas.loc[areas[s.LEVEL] == s.Level.DISTRICT, s.AREA_CODE])
        divisions = sorted(areas.loc[areas[s.LEVEL] == s.Level.DIVISION, s.AREA_CODE])
        observed = dataset.observations
        at_district = set(observed.loc[observed[s.AREA_CODE].isin(districts), s.INDICATOR_ID])
        annual = dataset.indicators[(dataset.indicators[s.FREQUENCY] == s.Frequency.ANNUAL)
                                    & dataset.indicators[s.INDICATOR_ID].isin(at_district)]
        indicators = sorted(annual[s.INDICATOR_ID])

        def pick(items: list[str]) -> str:
            return rng.choice(items)

        queries = {
            "": tuple(f"district={pick(districts)}" for _ in range(per_page)),
            "trends": tuple(f"district={pick(districts)}&indicator={pick(indicators)}&horizon={rng.randint(1, 5)}"
                            for _ in range(per_page)),
            "priority_map": tuple(f"norm={pick(['zscore', 'rank', 'minmax'])}&top={rng.randint(5, 20)}"
                                  + (f"&focus={pick(divisions)}" if i % 2 else "") for i in range(per_page)),
            "division_profile": tuple(f"division={pick(divisions)}" for _ in range(per_page)),
            "scenarios": tuple(f"district={pick(districts)}&indicator={pick(indicators)}" for _ in range(per_page)),
            "data_methods": ("",),
        }
        return cls(queries)

    def for_session(self, index: int, round_: int) -> list[tuple[str, str]]:
        """(page, query) for every page, rotating through the queries by session and round."""
        return [(page, qs[(index + round_) % len(qs)]) for page, qs in self.queries.items()]


# ---- phases --------------------------------------------------------------------------------------------------
@dataclass
class Tally:
    """Everything measured in one phase."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    errors_shown: list[str] = field(default_factory=list)
    held: int = 0
    seconds: float = 0.0  # wall time of the phase


async def drive(session: Session, index: int, plan: Plan, rounds: int, tally: Tally, rng: random.Random,
                opened: asyncio.Barrier, think: float) -> None:
    """One session: open, wait until every session is open, then every page twice per round (with `think`
    seconds, on average, between one finished rerun and the next request), then hold."""
    try:
        await session.open()
    except Exception as exc:  # noqa: BLE001 - a refused connection is a counted error, not a crash
        tally.errors.append(f"connect: {type(exc).__name__}: {exc}")
        await opened.wait()
        return
    await opened.wait()
    try:
        for round_ in range(rounds):
            for page, query in plan.for_session(index, round_):
                await asyncio.sleep(rng.uniform(0, 2 * think))
                first = await session.rerun(page, query)
                await asyncio.sleep(rng.uniform(0, 2 * think))
                second = await session.rerun(page, query, change_selectbox(first, "Theme", rng))
                for run in (first, second):
                    tally.latencies.append(run.seconds)
                    tally.errors.extend(run.exceptions)
                    tally.errors_shown.extend(run.errors_shown)
        tally.held += 1
    except (TimeoutError, websockets.WebSocketException, OSError) as exc:
        tally.errors.append(f"session {index}: {type(exc).__name__}: {exc}")


async def phase(server: Server, plan: Plan, sessions: int, rounds: int, seed: int,
                think: float = 0.0) -> tuple[Tally, float]:
    """N sessions at once; returns what they measured and the server's peak RSS meanwhile."""
    tally = Tally()
    opened = asyncio.Barrier(sessions)
    clients = [Session(server) for _ in range(sessions)]
    started = time.perf_counter()
    with RssSampler(server) as sampler:
        await asyncio.gather(*(drive(c, i, plan, rounds, tally, random.Random(seed + i), opened, think)
                               for i, c in enumerate(clients)))
        tally.seconds = time.perf_counter() - started
        await asyncio.gather(*(c.close() for c in clients))
    return tally, sampler.peak


async def warm_up(server: Server, plan: Plan) -> None:
    """One session visits every (page, query) of the plan once, so caches hold what the phases will ask."""
    session = Session(server)
    await session.open()
    for page, queries in plan.queries.items():
        for query in queries:
            await session.rerun(page, query)
    await session.close()


async def settle(server: Server) -> float:
    """RSS once Streamlit has dropped the closed sessions: wait the TTL, then one probe session's open and
    close makes Streamlit write to its session storage, which drops the expired sessions."""
    await asyncio.sleep(server.session_ttl + 2)
    probe = Session(server)
    await probe.open()
    await probe.rerun("data_methods", "")
    await probe.close()
    await asyncio.sleep(3)
    return server.rss_mb()


def upload_csv(megabytes: float, seed: int) -> bytes:
    """A valid observations CSV of about `megabytes` MB (unique keys, every column filled)."""
    rng = random.Random(seed)
    header = b"area_code,indicator_id,period,value,numerator,denominator,lower_95,upper_95\n"
    rows, size, day = [header], len(header), 0
    districts = [b"E070000%02d" % n for n in range(66, 78)]
    while size < megabytes * 1024 * 1024:
        start = 1900 + day // 336
        period = b"%d-%02d-%02d" % (start, day % 336 // 28 + 1, day % 28 + 1)
        for code in districts:
            value = rng.uniform(1, 99)
            row = b"%s,upload_rate,%s,%.3f,%d,%d,%.3f,%.3f\n" % (code, period, value, int(value * 10), 1000,
                                                                value - 1, value + 1)
            rows.append(row)
            size += len(row)
        day += 1
    return b"".join(rows)


def xsrf_opener(server: Server) -> tuple[urllib.request.OpenerDirector, str]:
    """An HTTP opener holding the XSRF cookie the server sets, and the token to send back."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{server.url}/_stcore/health", timeout=30).read()  # the health check sets the cookie
    token = next((c.value or "" for c in jar if c.name == "_streamlit_xsrf"), "")
    return opener, token


def put_file(server: Server, session_id: str, name: str, content: bytes) -> FileURLs:
    """PUT a file to Streamlit's upload endpoint for `session_id`, as the browser's uploader does."""
    opener, token = xsrf_opener(server)
    file_id = str(uuid.uuid4())
    url = f"/_stcore/upload_file/{session_id}/{file_id}"
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{file_id}\"; filename=\"{name}\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"{server.url}{url}", data=body, method="PUT", headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "X-Xsrftoken": token})
    opener.open(request, timeout=120).read()
    return FileURLs(file_id=file_id, upload_url=url, delete_url=url)


async def upload_session(server: Server, index: int, content: bytes) -> tuple[str | None, list[str]]:
    """One session uploads `content` on Data & methods, reruns once more, and closes; returns what it saw."""
    session = Session(server)
    await session.open()
    try:
        first = await session.rerun("data_methods", "")
        if first.uploader_id is None or first.session_id is None:
            return None, ["no file uploader on Data & methods"]
        urls = await asyncio.to_thread(put_file, server, first.session_id, f"upload{index}.csv", content)
        state = WidgetState(id=first.uploader_id)
        state.file_uploader_state_value.uploaded_file_info.append(UploadedFileInfo(
            name=f"upload{index}.csv", size=len(content), file_id=urls.file_id, file_urls=urls))
        loaded = await session.rerun("data_methods", "", [state])
        again = await session.rerun("data_methods", "", [state])  # the browser resends the uploader's state
        return f"{loaded.seconds:.1f} s, then {again.seconds:.1f} s", loaded.exceptions + again.exceptions
    finally:
        await session.close()


# ---- report --------------------------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def print_phase(n: int, tally: Tally, cold: Tally, before: float, peak: float, closed: float,
                after: float) -> None:
    median = statistics.median(tally.latencies) * 1000 if tally.latencies else float("nan")
    p95 = percentile(tally.latencies, 0.95) * 1000
    cold_p95 = percentile(cold.latencies, 0.95) * 1000
    held = min(tally.held, cold.held)
    errors, shown = cold.errors + tally.errors, cold.errors_shown + tally.errors_shown
    print(f"{n:>8} {held:>5} {len(tally.latencies) + len(cold.latencies):>7} {len(errors):>6} {len(shown):>9} "
          f"{median:>9.0f} {p95:>7.0f} {cold_p95:>8.0f}   {before:>6.0f} {peak:>6.0f} {closed:>7.0f} {after:>6.0f} "
          f"{(after - before) / before * 100:>+6.1f}%  {'yes' if after <= before * 1.10 else 'NO'}   "
          f"{len(tally.latencies) / tally.seconds:5.1f}/s", flush=True)
    for text in sorted(set(errors))[:5]:
        print(f"           error: {text}")
    for text in sorted(set(shown))[:5]:
        print(f"           st.error shown: {text}")


async def main_async(args: argparse.Namespace) -> None:
    server = Server(Path(args.app_dir).resolve(), args.session_ttl, args.serve)
    plan = Plan.build(Path(args.app_dir).resolve() / "data")
    server.start()
    try:
        at_start = server.rss_mb()
        await warm_up(server, plan)
        print(f"server: {server.app_dir} served as `{server.how}` on {server.url}, "
              f"server.disconnectedSessionTTL={server.session_ttl} s, MALLOC_ARENA_MAX="
              f"{os.environ.get('MALLOC_ARENA_MAX', '2 (serve.py)' if server.how == 'make run' else 'unset')}")
        print(f"RSS at start {at_start:.0f} MB; after a warm-up pass over {sum(map(len, plan.queries.values()))} "
              f"page views {server.rss_mb():.0f} MB")
        print("Each N runs twice with the same sessions: the first pass fills the caches (its p95: 'cold'), RSS "
              "'before' is taken after it, the second pass is timed.")
        print("sessions  held  reruns errors st.errors median_ms  p95_ms cold_p95   RSS MB: before  peak  closed  "
              "after  after/before  back within 10%  reruns/s")
        for n in (n for n in args.sessions if n > 0):
            cold, _ = await phase(server, plan, n, args.rounds, seed=n, think=args.think)  # fills their caches
            before = await settle(server)
            tally, peak = await phase(server, plan, n, args.rounds, seed=n, think=args.think)  # the same again
            closed = server.rss_mb()
            after = await settle(server)
            print_phase(n, tally, cold, before, peak, closed, after)
        if args.uploads:
            content = upload_csv(args.upload_mb, seed=1)
            before = await settle(server)
            peak, outcomes, problems = before, [], []
            for i in range(args.uploads):
                outcome, errors = await upload_session(server, i, content)
                outcomes.append(outcome)
                problems.extend(errors)
                peak = max(peak, server.rss_mb())
            closed = server.rss_mb()
            after = await settle(server)
            rows = content.count(b"\n") - 1
            print(f"uploads: {args.uploads} sessions each uploaded {len(content) / 2**20:.1f} MB ({rows:,} rows) "
                  f"and closed; the upload rerun, then the next: {'; '.join(map(str, outcomes))}")
            print(f"         errors {len(problems)}; RSS before {before:.0f} MB, peak {peak:.0f}, on close "
                  f"{closed:.0f}, after the sessions are dropped {after:.0f} ({(after - before) / before * 100:+.1f}%"
                  f", back within 10%: {'yes' if after <= before * 1.10 else 'NO'})")
            for text in sorted(set(problems))[:5]:
                print(f"         error: {text}")
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=lambda v: [int(x) for x in v.split(",")], default=[10, 50, 100],
                        help="comma-separated numbers of concurrent sessions (default 10,50,100)")
    parser.add_argument("--rounds", type=int, default=1, help="passes over the six pages per session")
    parser.add_argument("--uploads", type=int, default=6, help="sessions that each upload a file (0: none)")
    parser.add_argument("--upload-mb", type=float, default=19.5)
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean seconds a session waits between reruns (default 0: back to back)")
    parser.add_argument("--session-ttl", type=int, default=30,
                        help="server.disconnectedSessionTTL for this run, s (Streamlit's default is 120)")
    parser.add_argument("--app-dir", default=str(ROOT), help="checkout to serve (default: this one)")
    parser.add_argument("--serve", choices=["make run", "streamlit run"], default="make run",
                        help="start the server as `make run` does (scripts/serve.py) or with bare `streamlit run`")
    args = parser.parse_args()
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
