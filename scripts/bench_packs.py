"""Committee packs: build time and page count of division packs and of an agenda pack (prints figures).

    python scripts/bench_packs.py [--divisions 5]
"""

from __future__ import annotations

import argparse
import io
import logging
import statistics
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
logging.getLogger("cmdstanpy").disabled = True
logging.getLogger("streamlit").setLevel(logging.ERROR)


def settings():  # noqa: ANN201 - insight.snapshot.FigureSettings
    """The app's own defaults (components' constants)."""
    from components import data, state
    from components import scenarios as scn
    from insight import schema as s
    from insight.snapshot import FigureSettings

    return FigureSettings(
        headline_ids=tuple(data.HEADLINE_INDICATORS),
        default_weights=tuple((i, state.PM_DEFAULT_WEIGHT) for i in data.PRIORITY_DEFAULT_INDICATORS),
        trend_default_horizon={str(k): v for k, v in data.TREND_DEFAULT_HORIZON.items()},
        trend_max_horizon={str(k): v for k, v in data.TREND_MAX_HORIZON.items()},
        scenario_default_horizon={str(k): v for k, v in scn.DEFAULT_HORIZON.items()},
        scenario_horizons={s.Frequency.ANNUAL.value: tuple(scn.ANNUAL_HORIZONS),
                           s.Frequency.MONTHLY.value: tuple(scn.MONTHLY_HORIZONS)},
        default_indicator=state.DEFAULT_INDICATOR, scenario_default_indicator=dict(scn.DEFAULT_INDICATOR))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--divisions", type=int, default=5)
    args = parser.parse_args()
    import pypdf

    from insight import query
    from insight import schema as s
    from insight.agenda import Agenda, Page, View, ViewParams
    from insight.config import load_config
    from insight.snapshot import load_context, snapshot_agenda
    from views.agenda_pack import agenda_pack_pdf
    from views.committee_pack import division_pack_pdf

    started = time.perf_counter()
    context = load_context(ROOT / "data", load_config(), settings())
    print(f"Context load (dataset, illustrative, precomputed projections): {time.perf_counter() - started:.2f} s")
    codes = list(query.areas_at(context.dataset.areas, s.Level.DIVISION)[s.AREA_CODE])[: args.divisions]
    times, pages = [], []
    for code in codes:
        t0 = time.perf_counter()
        pdf = division_pack_pdf(context, code, date.today())
        times.append(time.perf_counter() - t0)
        pages.append(len(pypdf.PdfReader(io.BytesIO(pdf)).pages))
        print(f"  {context.names[code]}: {times[-1]:.2f} s, {pages[-1]} pages, {len(pdf) / 1024:.0f} KB")
    print(f"Division pack: median {statistics.median(times):.2f} s, max {max(times):.2f} s over {len(times)} "
          f"divisions (the first includes one-off work: the division table and boundary projection); pages "
          f"{sorted(set(pages))}")
    district = str(context.dataset.areas.set_index(s.AREA_CODE).loc[codes[0], s.PARENT_CODE])
    views = (View(Page.OVERVIEW, "At a glance", ViewParams(districts=(district,))),
             View(Page.TRENDS, "Claimant count", ViewParams(districts=(district,), indicator="claimant_count")),
             View(Page.PRIORITY_MAP, "Priority", ViewParams(divisions=(codes[0],),
                                                            weights=context.settings.default_weights)),
             View(Page.DIVISION_PROFILE, "Profile", ViewParams(divisions=(codes[0],))),
             View(Page.SCENARIOS, "Scenario", ViewParams(scn_indicator="gdhi_per_head", scn_area=district,
                                                         scenarios="n:Faster,t:2,ts:2026-01")))
    t0 = time.perf_counter()
    agenda = snapshot_agenda(Agenda("Benchmark agenda", date.today(), context.version, views), context)
    snap = time.perf_counter() - t0
    t0 = time.perf_counter()
    pdf = agenda_pack_pdf(agenda, context, date.today())
    print(f"Agenda of 5 views: snapshot {snap:.2f} s; pack {time.perf_counter() - t0:.2f} s, "
          f"{len(pypdf.PdfReader(io.BytesIO(pdf)).pages)} pages, {len(pdf) / 1024:.0f} KB")


if __name__ == "__main__":
    main()
