"""Shared set-up for the agenda, changes and committee-pack tests: the app's own defaults and small agendas."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from insight import schema as s
from insight.agenda import Agenda, Page, View, ViewParams
from insight.config import load_config
from insight.data_version import DataVersion
from insight.snapshot import FigureContext, FigureSettings, load_context

ROOT = Path(__file__).resolve().parents[2]
VERSION = DataVersion("0" * 63 + "1", date(2026, 11, 25))
CLACTON_WEST = "E58000426"  # Tendring
TENDRING = "E07000076"


def app_settings() -> FigureSettings:
    """The defaults the app itself uses (components' constants), so figures match what the pages show."""
    from components import data, state
    from components import scenarios as scn

    return FigureSettings(
        headline_ids=tuple(data.HEADLINE_INDICATORS),
        default_weights=tuple((i, state.PM_DEFAULT_WEIGHT) for i in data.PRIORITY_DEFAULT_INDICATORS),
        trend_default_horizon={str(k): v for k, v in data.TREND_DEFAULT_HORIZON.items()},
        trend_max_horizon={str(k): v for k, v in data.TREND_MAX_HORIZON.items()},
        scenario_default_horizon={str(k): v for k, v in scn.DEFAULT_HORIZON.items()},
        scenario_horizons={s.Frequency.ANNUAL.value: tuple(scn.ANNUAL_HORIZONS),
                           s.Frequency.MONTHLY.value: tuple(scn.MONTHLY_HORIZONS)},
        default_indicator=state.DEFAULT_INDICATOR,
        scenario_default_indicator=dict(scn.DEFAULT_INDICATOR),
    )


def committed_context(data_dir: Path = ROOT / "data") -> FigureContext:
    return load_context(data_dir, load_config(), app_settings())


def sample_views() -> tuple[View, ...]:
    """One view of every page, as an officer would save them for Tendring's committee."""
    return (
        View(Page.OVERVIEW, "Tendring at a glance", ViewParams(districts=(TENDRING,)),
             "Start with the headline picture."),
        View(Page.TRENDS, "Claimant count is rising in Tendring",
             ViewParams(districts=(TENDRING,), indicator="claimant_count", theme="economy", horizon=3,
                        compare=("county", "england")), "Note the projection range."),
        View(Page.PRIORITY_MAP, "Where need is greatest",
             ViewParams(divisions=(CLACTON_WEST,), weights=(("imd25_income", 5), ("imd25_employment", 3)),
                        norm="zscore", top=5), "Clacton West ranks first on these weights."),
        View(Page.DIVISION_PROFILE, "Clacton West profile", ViewParams(divisions=(CLACTON_WEST,)),
             "Strengths and challenges.\nThen the spine chart."),
        View(Page.SCENARIOS, "What if employment rises faster?",
             ViewParams(scn_data="open", scn_indicator="gdhi_per_head", scn_area=TENDRING, scn_horizon=5,
                        scenarios="n:Faster growth,t:2,ts:2026-01"), "An illustration, not a forecast."),
    )


def sample_agenda(views: tuple[View, ...] | None = None) -> Agenda:
    return Agenda("Tendring local committee, December", date(2026, 12, 3), VERSION,
                  views if views is not None else sample_views())
