"""The view a person was on when they chose to sign in, kept for a few minutes so that signing in brings them
back to it.

Streamlit's sign-in (``st.login``) always comes back to the app's first page with no query string, so the view
held in the link (page, place, indicator, scenarios) would be lost on the way. Before the sign-in starts, the app
keeps the page and its query parameters under a key made from the browser's XSRF token: a random value in a
cookie that the browser keeps through the round trip to the identity provider and that no other browser knows.
The first run after the sign-in, from the same browser, takes the view back (once) and opens it as a link is
opened, so everything in it is checked again. A view not taken within ``TTL_SECONDS`` is forgotten; at most
``MAX_PENDING`` are held (the oldest go first). The store lives in one server process: behind HAProxy the replica
cookie brings the browser back to the process that kept its view.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

TTL_SECONDS = 600.0
MAX_PENDING = 1_000
MAX_PARAMS = 64  # query parameters kept from one view (the app's longest links use about a dozen)
MAX_VALUE_CHARS = 4_000  # characters of one parameter's value kept (a scenario set or an agenda is longest)


@dataclass(frozen=True)
class View:
    """A page (its URL path; "" for the first page) and its query parameters, each with all its values."""

    page: str
    params: tuple[tuple[str, tuple[str, ...]], ...]

    def as_query(self) -> dict[str, list[str]]:
        """The parameters in the form ``st.switch_page(query_params=...)`` takes."""
        return {key: list(values) for key, values in self.params}


def view_of(page: str, params: Mapping[str, Sequence[str]]) -> View:
    """A view from the page's URL path and its query parameters, bounded in size (a crafted link cannot make
    the store hold more than a link's worth of text)."""
    kept = tuple((str(key)[:MAX_VALUE_CHARS], tuple(str(v)[:MAX_VALUE_CHARS] for v in values))
                 for key, values in list(params.items())[:MAX_PARAMS])
    return View(str(page)[:200], kept)


def dropped_from_link(opened: View, now: View) -> View:
    """What of the link a session opened on (``opened``) its first run dropped, as seen at the start of the
    next run (``now``): the parameters it no longer holds, on the page it opened. A value refused as "not
    available here" -- a restricted indicator while signed out reads as an unknown one -- is removed from the
    link, so signing in would otherwise keep the fallback view, not the one the link asked for. Nothing when
    the session has already left that page."""
    if now.page != opened.page:
        return View(opened.page, ())
    present = {key for key, _ in now.params}
    return View(opened.page, tuple((key, values) for key, values in opened.params if key not in present))


def with_dropped(view: View, dropped: View) -> View:
    """``view`` with the link's dropped parameters asked for again (when on the page they were dropped from
    and not since given a value): checked again on the way back, as any link is."""
    if view.page != dropped.page:
        return view
    present = {key for key, _ in view.params}
    return View(view.page, (*view.params, *((k, v) for k, v in dropped.params if k not in present))[:MAX_PARAMS])


def browser_key(token: bytes) -> str:
    """The store's key for a browser: a digest of its XSRF token (the token itself is never held)."""
    return hashlib.sha256(b"insight-return-view:" + token).hexdigest()


class PendingReturns:
    """Views waiting for their browser to come back from signing in; safe to share between sessions' threads."""

    def __init__(self, ttl_seconds: float = TTL_SECONDS, max_pending: int = MAX_PENDING,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_seconds, self.max_pending, self._clock = ttl_seconds, max_pending, clock
        self._views: OrderedDict[str, tuple[float, View]] = OrderedDict()
        self._lock = threading.Lock()

    def keep(self, key: str, view: View) -> None:
        """Hold ``view`` for the browser ``key`` (replacing any view it had waiting)."""
        with self._lock:
            self._views.pop(key, None)
            self._views[key] = (self._clock(), view)
            self._forget_old()

    def take(self, key: str) -> View | None:
        """The browser's waiting view, removed from the store; None when there is none or it is too old."""
        with self._lock:
            self._forget_old()
            kept = self._views.pop(key, None)
        return kept[1] if kept is not None else None

    def __len__(self) -> int:
        with self._lock:
            self._forget_old()
            return len(self._views)

    def _forget_old(self) -> None:
        oldest_kept = self._clock() - self.ttl_seconds
        while self._views and (len(self._views) > self.max_pending
                               or next(iter(self._views.values()))[0] < oldest_kept):
            self._views.popitem(last=False)
