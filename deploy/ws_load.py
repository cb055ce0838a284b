"""A minimal load driver: N concurrent sessions over Streamlit's websocket protocol through a URL (HAProxy).

    python -m deploy.ws_load --url http://127.0.0.1:8500 --sessions 100

(The project's fuller harness, scripts/load_harness.py for issue 11, starts its own single server; this one
drives an existing deployment, so it goes through the load balancer and its cookie affinity.)

Each session does what a browser does: GET / (HAProxy answers with its affinity cookie), open
/_stcore/stream with that cookie and the streamlit subprotocol, then ask for reruns of two pages (a rerun
BackMsg with the page name and a shared-view query string) and read ForwardMsgs until the script has
finished. All N sessions are open at once. Errors: an exception element, a page not found, a timeout or a
dropped or refused connection. Latency: send of the rerun to its script-finished message.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field

VIEWS = (("", ""), ("trends", "indicator=claimant_count&district=E07000066"), ("priority_map", ""),
         ("division_profile", "division=E58000402"), ("scenarios", ""), ("data_methods", ""))
RERUN_TIMEOUT_S = 180.0


@dataclass
class Outcome:
    """What one session saw."""

    replica: str = ""
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def affinity_cookie(url: str) -> str:
    """The Cookie header a browser would send after loading the page (HAProxy's INSIGHT_REPLICA)."""
    with urllib.request.urlopen(url + "/", timeout=30) as response:
        cookies = response.headers.get_all("Set-Cookie") or []
    return "; ".join(c.split(";", 1)[0] for c in cookies)


async def run_session(url: str, index: int, views: list[tuple[str, str]]) -> Outcome:
    """Open one session and rerun each of `views` in turn."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.typing import Subprotocol

    early = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
    outcome = Outcome()
    try:
        cookie = await asyncio.to_thread(affinity_cookie, url)
        outcome.replica = next((c.split("=", 1)[1] for c in cookie.split("; ") if c.startswith("INSIGHT_REPLICA=")),
                               "")
        headers = {"Cookie": cookie, "Origin": url} if cookie else {"Origin": url}
        async with websockets.connect(url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=[Subprotocol("streamlit")],
                                      additional_headers=headers, max_size=None, ping_interval=None,
                                      open_timeout=60) as ws:
            for page, query in views:
                message = BackMsg()
                message.rerun_script.page_name = page
                message.rerun_script.query_string = query
                started = time.perf_counter()
                await ws.send(message.SerializeToString())
                async with asyncio.timeout(RERUN_TIMEOUT_S):
                    while True:
                        forward = ForwardMsg()
                        forward.ParseFromString(await ws.recv())
                        kind = forward.WhichOneof("type")
                        if kind == "delta" and forward.delta.WhichOneof("type") == "new_element" and \
                                forward.delta.new_element.WhichOneof("type") == "exception":
                            outcome.errors.append(f"exception on {page or 'overview'}: "
                                                  f"{forward.delta.new_element.exception.message[:120]}")
                        elif kind == "page_not_found":
                            outcome.errors.append(f"page not found: {page}")
                        elif kind == "script_finished" and forward.script_finished != early:
                            outcome.seconds.append(time.perf_counter() - started)
                            break
    except TimeoutError:
        outcome.errors.append("timeout")
    except Exception as exc:  # noqa: BLE001 - any failure of a session is counted and named
        outcome.errors.append(f"{type(exc).__name__}: {str(exc)[:120]}")
    return outcome


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by the nearest-rank method."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


async def run_load(url: str, sessions: int) -> list[Outcome]:
    """All sessions at once; session i reruns views i and i+1 (of VIEWS, cyclically)."""
    plans = [[VIEWS[i % len(VIEWS)], VIEWS[(i + 1) % len(VIEWS)]] for i in range(sessions)]
    return await asyncio.gather(*(run_session(url, i, plan) for i, plan in enumerate(plans)))


def summarise(outcomes: list[Outcome], elapsed: float) -> tuple[int, str]:
    """(error count, printable summary)."""
    seconds = [s for o in outcomes for s in o.seconds]
    errors = [e for o in outcomes for e in o.errors]
    replicas = Counter(o.replica or "?" for o in outcomes)
    lines = [f"Sessions: {len(outcomes)} at once through the load balancer, in {elapsed:.1f} s; "
             f"replicas: {', '.join(f'{k} {v}' for k, v in sorted(replicas.items()))}",
             f"Reruns finished: {len(seconds)}; errors: {len(errors)}"]
    if seconds:
        lines.append(f"Rerun latency: median {statistics.median(seconds) * 1000:.0f} ms, "
                     f"p95 {percentile(seconds, 0.95) * 1000:.0f} ms, max {max(seconds) * 1000:.0f} ms")
    lines += [f"  error: {e}" for e in errors[:10]]
    return len(errors), "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.ws_load", description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the deployment, e.g. http://127.0.0.1:8500 (loopback)")
    parser.add_argument("--sessions", type=int, default=100)
    args = parser.parse_args(argv)
    if not args.url.startswith(("http://127.", "http://localhost", "http://[::1]")):
        parser.error("this driver only targets loopback addresses")
    started = time.perf_counter()
    outcomes = asyncio.run(run_load(args.url.rstrip("/"), args.sessions))
    errors, text = summarise(outcomes, time.perf_counter() - started)
    print(text, flush=True)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
