"""Page tests with an upload in the session: a small monthly file of the council's small areas, loaded and
described on Data & methods through its real uploader and form, then handed to another page's AppTest."""

from __future__ import annotations

from functools import cache

import numpy as np
from streamlit.testing.v1 import AppTest

from insight import schema as s
from tests.app.helpers import ROOT, TIMEOUT

FILE_NAME = "food bank [referrals](https://evil.example).csv"  # a crafted name: shown only as plain text
UPLOAD_ID = "food_bank"
SHORT_TITLE = "Food bank referrals (your data)"
SESSION_KEYS = ("upload_shelf", "your_data")


def monthly_upload(areas, council_code: str, months: int = 36, seed: int = 7, *, decimals: bool = False) -> bytes:
    """Monthly values for every small area and the council, with a rising trend and 95% intervals on the small
    areas. Counts by default (the council's is the sum, and the first small area's counts are 1-7, so the
    disclosure rule has something to hide); ``decimals``: rates (the council's is their mean)."""
    rng = np.random.default_rng(seed)
    codes = sorted(areas.loc[areas[s.LEVEL] == s.Level.DIVISION, s.AREA_CODE])
    rows = ["area_code,indicator_id,period,value,lower_95,upper_95"]
    totals = np.zeros(months)
    for number, code in enumerate(codes):
        base = 3 if number == 0 else int(rng.integers(20, 80))
        for m in range(months):
            value = base + int(rng.integers(0, 4)) + (m // 6 if number else 0) + (0.5 if decimals else 0)
            totals[m] += value
            half = 1.5 if decimals else 1.96 * max(value, 1) ** 0.5
            rows.append(f"{code},{UPLOAD_ID},{2022 + m // 12}-{m % 12 + 1:02d},{value:g},{max(value - half, 0):.1f},"
                        f"{value + half:.1f}")
    for m in range(months):
        total = totals[m] / len(codes) if decimals else totals[m]
        rows.append(f"{council_code},{UPLOAD_ID},{2022 + m // 12}-{m % 12 + 1:02d},{total:.2f},,")
    return ("\n".join(rows) + "\n").encode()


def load_on_data_methods(content: bytes, *, title: str = "Food bank referrals", polarity: str = "higher_is_worse",
                         disclosure: bool | None = None, name: str = FILE_NAME) -> AppTest:
    """Data & methods after uploading ``content`` and submitting the form (title, polarity; the disclosure
    rule left as offered unless ``disclosure`` says otherwise)."""
    at = AppTest.from_file(str(ROOT / "pages" / "data_methods.py"), default_timeout=TIMEOUT).run()
    at.file_uploader[0].upload(name, content, "text/csv")
    at = at.run()
    fields = {w.key.rsplit(".", 1)[-1]: w for w in at.text_input if w.key and w.key.startswith("yours.")}
    fields["title"].set_value(title)
    [pick] = [w for w in at.selectbox if w.key and w.key.endswith(".polarity")]
    pick.set_value(polarity)
    if disclosure is not None:
        [box] = [w for w in at.checkbox if w.key and w.key.endswith(".disclosure")]
        box.set_value(disclosure)
    [submit] = [b for b in at.button if b.label == "Show my data on every page"]
    submit.click()
    return at.run()


@cache
def _session(content: bytes, polarity: str, disclosure: bool | None) -> dict:
    at = load_on_data_methods(content, polarity=polarity, disclosure=disclosure)
    assert not at.exception, at.exception
    return {key: at.session_state[key] for key in SESSION_KEYS}


def page_with_upload(script: str, content: bytes, *, polarity: str = "higher_is_worse",
                     disclosure: bool | None = None, **params: str) -> AppTest:
    """Run ``script`` once in a session that holds the upload (loaded and described on Data & methods)."""
    at = AppTest.from_file(str(ROOT / script), default_timeout=TIMEOUT)
    for key, value in _session(content, polarity, disclosure).items():
        at.session_state[key] = value
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()
