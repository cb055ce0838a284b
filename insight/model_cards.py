"""Model cards for every model in the app, and the words of the Ethics & transparency page (pure data).

One ``ModelCard`` per model (projection, priority index, scenarios), with the fields of the UK
Algorithmic Transparency Recording Standard (ATRS): purpose, data, method, limitations, accuracy, human
oversight, who reviewed it and when, how to challenge it, and a version. The projection card's accuracy
comes only from the leak-free evaluation (``data/evaluation.json``, written by the evaluation harness): when
that file is absent the card says so and gives no figure, never an in-sample one.

The review fields are honest: no model has been reviewed by the council's data ethics committee yet, and
the card says so until a review is recorded in ``docs/model-reviews.md``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from insight.config import CouncilConfig
from insight.errors import InsightError
from insight.forecast.cuts import POOL_HORIZON
from insight.forecast.pool import CHOICE_HORIZON
from insight.schema import Frequency

EVALUATION_FILE = "evaluation.json"
REVIEW_RECORD = "docs/model-reviews.md"
PROJECTION, PRIORITY, SCENARIOS = "projection", "priority", "scenarios"
CARD_IDS = (PROJECTION, PRIORITY, SCENARIOS)
CARD_NAMES = {PROJECTION: "Projections of published series", PRIORITY: "Priority index of small areas",
              SCENARIOS: "What-if scenarios on a projection"}
CARD_LINK_LABELS = {PROJECTION: "Projection model card", PRIORITY: "Priority index model card",
                    SCENARIOS: "Scenarios model card"}  # short: the link sits in narrow columns too
COVERAGE_TARGETS = {80: (0.75, 0.85), 95: (0.92, 0.97)}  # CONVENTIONS U7
MASE_TARGET_RATIO = 0.90  # the method used should score at most 0.90 x naive's median MASE (issue 10)
_FREQUENCY_WORDS = {"annual": ("annual", "year", "years"), "monthly": ("monthly", "month", "months")}


class ModelCardError(InsightError):
    """The evaluation file exists but cannot be read as the evaluation harness writes it."""


# ---- the leak-free evaluation ---------------------------------------------------------------------------

@dataclass(frozen=True)
class HorizonAccuracy:
    """Leak-free accuracy at one horizon (or overall, ``horizon`` None), all on the same cells."""

    horizon: int | None
    n_cells: int
    mase_used: float  # median MASE of the method the pipeline chose at each origin
    mase_naive_last: float
    mase_drift: float
    share_beating_naive: float  # share of series on which the method used beat naive last value (0-1)
    coverage_80: float  # share of outcomes inside the 80% range (0-1)
    coverage_95: float
    width_ratio_naive: float  # mean range width relative to naive's

    @property
    def mase_ratio(self) -> float:
        """The method used's median MASE as a multiple of naive last value's."""
        return self.mase_used / self.mase_naive_last if self.mase_naive_last > 0 else math.nan


@dataclass(frozen=True)
class Evaluation:
    """The leak-free rolling-origin evaluation of one frequency's series."""

    frequency: str  # "annual" | "monthly"
    n_series: int
    origins: tuple[str, ...]
    by_horizon: tuple[HorizonAccuracy, ...]
    overall: HorizonAccuracy | None


def _number(raw: Mapping[str, object], key: str, where: str, *, share: bool = False) -> float:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(float(value)):
        raise ModelCardError(f"{EVALUATION_FILE}: {where}: '{key}' must be a finite number.")
    number = float(value)
    if share and not 0.0 <= number <= 1.0:
        raise ModelCardError(f"{EVALUATION_FILE}: {where}: '{key}' must be a share between 0 and 1 "
                             f"(found {number:g}).")
    if not share and number < 0:
        raise ModelCardError(f"{EVALUATION_FILE}: {where}: '{key}' cannot be negative (found {number:g}).")
    return number


def _count(raw: Mapping[str, object], key: str, where: str) -> int:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ModelCardError(f"{EVALUATION_FILE}: {where}: '{key}' must be a whole number of at least 0.")
    return value


def _horizon_accuracy(raw: object, where: str, *, overall: bool = False) -> HorizonAccuracy:
    if not isinstance(raw, dict):
        raise ModelCardError(f"{EVALUATION_FILE}: {where} must be an object.")
    horizon = None if overall and raw.get("horizon") is None else _count(raw, "horizon", where)
    if horizon is not None:
        where = f"{where} (horizon {horizon})"
    return HorizonAccuracy(
        horizon=horizon, n_cells=_count(raw, "n_cells", where),
        mase_used=_number(raw, "mase_used", where), mase_naive_last=_number(raw, "mase_naive_last", where),
        mase_drift=_number(raw, "mase_drift", where),
        share_beating_naive=_number(raw, "share_beating_naive", where, share=True),
        coverage_80=_number(raw, "coverage_80", where, share=True),
        coverage_95=_number(raw, "coverage_95", where, share=True),
        width_ratio_naive=_number(raw, "width_ratio_naive", where))


def _origins(raw: object, where: str) -> tuple[str, ...]:
    if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
        return tuple(f"origin {i + 1}" for i in range(raw))
    if isinstance(raw, list) and all(isinstance(o, str | int) and not isinstance(o, bool) for o in raw):
        return tuple(str(o) for o in raw)
    raise ModelCardError(f"{EVALUATION_FILE}: {where}: 'origins' must be a count or a list of origins.")


def parse_evaluation(data: object) -> dict[str, Evaluation]:
    """The evaluations in the harness's JSON shape: ``{"annual": {...}, "monthly": {...} | null}``."""
    if not isinstance(data, dict) or "annual" not in data:
        raise ModelCardError(f"{EVALUATION_FILE} must be an object with 'annual' (and 'monthly') evaluations.")
    out: dict[str, Evaluation] = {}
    for frequency in _FREQUENCY_WORDS:
        raw = data.get(frequency)
        if raw is None:
            continue
        if not isinstance(raw, dict):
            raise ModelCardError(f"{EVALUATION_FILE}: '{frequency}' must be an object or null.")
        rows = raw.get("by_horizon")
        if not isinstance(rows, list) or not rows:
            raise ModelCardError(f"{EVALUATION_FILE}: {frequency}: 'by_horizon' must be a non-empty list.")
        by_horizon = tuple(_horizon_accuracy(row, frequency) for row in rows)
        overall = raw.get("overall")
        out[frequency] = Evaluation(
            frequency=frequency, n_series=_count(raw, "n_series", frequency),
            origins=_origins(raw.get("origins"), frequency),
            by_horizon=tuple(sorted(by_horizon, key=lambda row: row.horizon or 0)),
            overall=None if overall is None else _horizon_accuracy(overall, f"{frequency} overall", overall=True))
    return out


def load_evaluation(data_dir: Path) -> dict[str, Evaluation] | None:
    """The leak-free evaluation of a dataset (``<data_dir>/evaluation.json``), or None if it was never run."""
    path = Path(data_dir) / EVALUATION_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelCardError(f"{EVALUATION_FILE} could not be read ({type(exc).__name__}); re-run the "
                             "evaluation harness (make evaluate).") from None
    return parse_evaluation(data)


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def _agreeing(value: float, digits: int, meets: Callable[[float], bool]) -> str:
    """``value`` rounded to ``digits`` decimals, or to more where that rounding would seem to contradict the
    verdict ``meets`` gives on the exact value (0.9024 shows as 0.902, not 0.90, when 0.90 is the limit)."""
    for places in range(digits, digits + 4):
        if meets(round(value, places)) == meets(value):
            return f"{value:.{places}f}"
    return f"{value:.{digits + 4}f}"


def _within_target(share: float, level: int) -> bool:
    low, high = COVERAGE_TARGETS[level]
    return low <= share <= high


def _coverage(share: float, level: int) -> str:
    """A coverage share as a percentage (one decimal, more if needed to agree with its verdict)."""
    return _agreeing(100 * share, 1, lambda pct: _within_target(pct / 100, level)) + "%"


def _within(share: float, level: int) -> str:
    return "within" if _within_target(share, level) else "outside"


def describe_evaluation(evaluation: Evaluation) -> tuple[str, ...]:
    """The leak-free figures in plain English, one sentence per horizon, each against its target."""
    adjective, one, many = _FREQUENCY_WORDS[evaluation.frequency]
    named = evaluation.origins and not evaluation.origins[0].startswith("origin ")
    origins = f"{len(evaluation.origins)} origins" + (f" ({evaluation.origins[0]} to {evaluation.origins[-1]})"
                                                      if named else "")
    lines = [f"{adjective.capitalize()} series: {evaluation.n_series:,} series, {origins}. At each origin "
             "everything (method choice, calibration, any pooling) was fitted only on data up to it, then "
             "scored on what followed."]
    for row in evaluation.by_horizon:
        ahead = f"{row.horizon} {one if row.horizon == 1 else many} ahead"
        verdict = "met" if row.mase_ratio <= MASE_TARGET_RATIO else "not met"
        ratio = _agreeing(row.mase_ratio, 2, lambda r: r <= MASE_TARGET_RATIO)
        lines.append(
            f"{ahead} ({row.n_cells:,} outcomes): median MASE {row.mase_used:.2f} for the method used against "
            f"{row.mase_naive_last:.2f} for naive last value and {row.mase_drift:.2f} for drift on the same "
            f"cells ({ratio} times naive; target 0.90 or less: {verdict}); it beat naive on "
            f"{_pct(row.share_beating_naive)} of series. The 80% ranges held {_coverage(row.coverage_80, 80)} of "
            f"outcomes ({_within(row.coverage_80, 80)} the 75–85% target) and the 95% ranges "
            f"{_coverage(row.coverage_95, 95)} "
            f"({_within(row.coverage_95, 95)} 92–97%); ranges were {row.width_ratio_naive:.2f} times as wide as "
            "naive's.")
    return tuple(lines)


# ---- the cards ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Review:
    """Who reviewed a model and when; ``reviewed_by``/``reviewed_on`` stay None until a review happens."""

    status: str
    record: str  # where the review record is kept
    reviewed_by: str | None = None
    reviewed_on: str | None = None


@dataclass(frozen=True)
class ModelCard:
    """One model's card, in the Algorithmic Transparency Recording Standard's fields."""

    card_id: str
    name: str
    version: str
    purpose: str
    data: str
    method: str
    limitations: tuple[str, ...]
    accuracy: tuple[str, ...]
    human_oversight: str
    review: Review
    challenge: str
    evaluation: Mapping[str, Evaluation] | None = None  # projection card: the figures behind ``accuracy``


def _review(council: CouncilConfig) -> Review:
    return Review(
        status=f"Not yet reviewed by {council.name}'s data ethics committee. It must be reviewed before its "
               "outputs inform a decision.",
        record=f"When the committee reviews this model, its decision, the date, the version reviewed and any "
               f"conditions are recorded in {REVIEW_RECORD} in the dashboard's source code and shown here.")


def _challenge() -> str:
    return ("Every figure has a source line and a CSV download; the Data & methods page defines each indicator. "
            "To challenge a figure, send the page address (it holds the exact view), the figure and why it looks "
            "wrong to the officer or analyst who shared it, or to the team that runs this dashboard; they check "
            "it against its source and this card and reply with what they found. Residents can also use the "
            "council's complaints procedure or make a Freedom of Information request, as for any council "
            "publication.")


def projection_card(council: CouncilConfig, evaluation: Mapping[str, Evaluation] | None) -> ModelCard:
    """The card of the projections (Trends & projections page; the scenarios' baseline)."""
    if evaluation is None:
        accuracy: tuple[str, ...] = (
            "The leak-free evaluation has not been run for this dataset, so no accuracy figure is given here. "
            "Figures computed on the same errors that chose the method would flatter it and are never shown.",)
    else:
        accuracy = tuple(line for freq in ("annual", "monthly") if freq in evaluation
                         for line in describe_evaluation(evaluation[freq]))
        if "monthly" not in evaluation:
            accuracy += ("No monthly series were evaluated.",)
    return ModelCard(
        card_id=PROJECTION, name=CARD_NAMES[PROJECTION], version="1.0",
        purpose=(f"To show where a published {council.short_name} series would go if its past trend continued, "
                 "with 80% and 95% ranges, as a starting point for planning conversations. It is a projection, "
                 "not a forecast of what will happen or of what a policy would change."),
        data=("Published annual series (ONS Explore Local Statistics and other official open data, Open "
              f"Government Licence v3.0) for {council.short_name}, its districts and {council.area_word_plural}, "
              "with at least 8 annual values; "
              "and, labelled illustrative, synthetic monthly service-demand series. Aggregate statistics only: "
              "no record about any person is used."),
        method=("Five methods are tested on every series' own past by rolling origins: Prophet (no yearly "
                "seasonality on annual data), Theta, two naive methods (the last value repeated; drift, the "
                "average past change continued) and their combination (the middle of the four projections, "
                "the median). One method is chosen for each indicator across all its areas — "
                f"the one with the smallest median error 1 to {CHOICE_HORIZON} periods ahead, naive last value "
                "unless another is strictly better — because choosing for each series on its own four or five "
                "errors flatters the winner. The 80% and 95% ranges come from the errors of past projections "
                "pooled across every series of the same frequency (conformal quantiles, scaled to each series' "
                "typical change), not from Prophet's own intervals, and widen with the horizon. Values are "
                "modelled on a log or logit scale so counts stay at or above zero and percentages within 0–100. "
                "Seeds are fixed, so the same data give the same figures at every meeting."),
        limitations=(
            "It only extends past trends: it ignores policy changes, new developments and shocks such as a "
            "recession or a pandemic.",
            "Annual series are short (8 to about 30 values), so ranges are wide; one indicator's series share "
            "their shocks, so its own coverage can be far from the pooled figure.",
            f"More than {POOL_HORIZON[Frequency.ANNUAL]} years ahead, the ranges are extrapolated beyond what the "
            "back-test checked.",
            *((f"{council.area_word.capitalize()} figures rest on approximate boundaries.",)
              if council.divisions_approximate else ()),
            "Accuracy differs from series to series; the figures below are across many series.",
        ),
        accuracy=accuracy,
        human_oversight=("Projections are advisory. An analyst checks a projection, its method and caveats before "
                         "it goes into a report; councillors and officers weigh it with what they know locally. "
                         "Nothing is decided or triggered automatically."),
        review=_review(council), challenge=_challenge(), evaluation=evaluation)


def priority_card(council: CouncilConfig, excluded: Sequence[str] = ()) -> ModelCard:
    """The card of the priority index (Priority map page); ``excluded``: titles of measures left out."""
    left_out = f" (here: {', '.join(excluded)})" if excluded else ""
    word, words = council.area_word, council.area_word_plural
    placed = (f"LSOAs are placed in a {word} by their population-weighted centre, and {word} boundaries are "
              "approximate" if council.divisions_approximate else f"LSOAs are placed in a {word} by the official "
              "best-fit lookup")
    return ModelCard(
        card_id=PRIORITY, name=CARD_NAMES[PRIORITY], version="1.0",
        purpose=(f"To help councillors and officers see which {council.area_title}s may need prioritised activity on "
                 "the measures they choose, and why, as a starting point for discussion. It does not allocate "
                 "money or services and must not be the only basis for a decision."),
        data=("English Indices of Deprivation 2025 domain scores and Census 2021 measures for small areas "
              f"(LSOAs), averaged to {words} weighted by Census 2021 residents; {placed}. Snapshots: the 2021 "
              "Census and the 2025 indices (which mostly use 2021–23 data). Open Government Licence v3.0; "
              "aggregate statistics only."),
        method=("Each measure is oriented so that higher means more need (a 'higher is better' measure is "
                "reversed) and put on a common scale chosen on the page: z-score (population standard deviation "
                f"over the {words}), percentile rank or min–max. The score is the weighted average, weights "
                "scaled to sum to 100%; each contribution is weight × scaled value, and contributions add up "
                "exactly to the score. Classes are quintiles of rank. Measures with no direction of need are "
                f"left out{left_out}. Rank stability: 1,000 runs each multiply every weight by its own random "
                f"factor between 0.8 and 1.2 (seed 2025), reporting how often each {word} stays in the top N "
                "and its 5th–95th percentile rank."),
        limitations=(
            "The ranking depends on which measures and weights are chosen; the IMD score already combines the "
            "domains, so adding it alongside them counts deprivation twice.",
            f"{word.capitalize()} figures are averages that can hide pockets of need: look at the small areas.",
            "A missing or suppressed value is never imputed: the area is scored on the measures it has, with "
            "their weights rescaled and flagged; an area whose measures carry less than half the weight is not "
            "scored or ranked and is shown in grey as suppressed or not ranked.",
            "Nothing here measures service supply, demand or local knowledge; IMD measures relative, not "
            "absolute, deprivation.",
        ),
        accuracy=("There is no observed 'true priority' to test against, so no accuracy figure can be given. "
                  "What is measured is robustness (the rank stability above) and arithmetic correctness "
                  "(automated tests: contributions sum to the score, polarity, monotonicity in the weights, the "
                  "same result every time).",),
        human_oversight=("Officers choose the measures and weights, and every choice is visible in the page "
                         "address. The ranking is read with local knowledge and service information before any "
                         "decision; it is never used to allocate money or services automatically."),
        review=_review(council), challenge=_challenge())


def scenarios_card(council: CouncilConfig) -> ModelCard:
    """The card of the what-if scenarios (Scenarios page)."""
    return ModelCard(
        card_id=SCENARIOS, name=CARD_NAMES[SCENARIOS], version="1.0",
        purpose=("To let analysts and councillors explore what follows from stated assumptions (a change in "
                 "trend, a one-off step such as an intervention's expected effect, extra population growth, or a "
                 "target) on top of a projection. A scenario shows the consequences of its assumptions, not what "
                 "will happen."),
        data=("The baseline projection of the chosen series (see the projection card) and the levers the user "
              "sets; nothing else."),
        method=("A trend change multiplies the projection by (1 + r) for each year after its start; a step adds "
                "its size from its start, its size read as the central (median) value and its range as an "
                "equal-tailed 95% range; extra population growth multiplies counts (or divides per-head values) "
                "by (1 + g) a year; a target is met by solving for the trend change. Ranges combine the "
                "projection's uncertainty with the step's range by seeded simulation (2,000 paired draws); "
                "without a lever range they follow exactly from the projection's limits. Every range contains "
                "its central value, and values stay within the indicator's bounds."),
        limitations=(
            "A scenario is only as good as its assumptions, which the user chooses: the page and the CSV export "
            "list every one.",
            "It inherits every limitation of the baseline projection.",
            "Levers act independently and at a constant rate; real effects build up, fade and interact.",
        ),
        accuracy=("A scenario cannot be checked against what happens, because its assumptions are hypothetical, "
                  "so no accuracy figure can be given. Its uncertainty inherits the projection's (see the "
                  "projection card). Its arithmetic is tested automatically: a zero lever reproduces the "
                  "baseline exactly, a solved target is reached, and for any lever settings every range contains "
                  "its centre.",),
        human_oversight=("Scenarios are drafted and read by people: the levers are set by the user, every "
                         "assumption travels with the chart, table, CSV and shared link, and a scenario informs a "
                         "discussion; it never sets a budget or a target by itself."),
        review=_review(council), challenge=_challenge())


def model_cards(council: CouncilConfig, evaluation: Mapping[str, Evaluation] | None,
                excluded: Sequence[str] = ()) -> tuple[ModelCard, ...]:
    """The three cards, in CARD_IDS order."""
    return (projection_card(council, evaluation), priority_card(council, excluded), scenarios_card(council))


def accuracy_rows(evaluation: Evaluation) -> list[dict[str, str]]:
    """The leak-free figures as table rows (one a horizon, then overall), formatted for people."""
    _, one, many = _FREQUENCY_WORDS[evaluation.frequency]
    rows = [*evaluation.by_horizon, *([evaluation.overall] if evaluation.overall else [])]
    return [{
        "Ahead": "All horizons" if row.horizon is None else f"{row.horizon} {one if row.horizon == 1 else many}",
        "Outcomes": f"{row.n_cells:,}",
        "Median MASE, method used": f"{row.mase_used:.2f}",
        "Naive last value": f"{row.mase_naive_last:.2f}",
        "Drift": f"{row.mase_drift:.2f}",
        "Series beating naive": _pct(row.share_beating_naive),
        "80% range held": _coverage(row.coverage_80, 80),
        "95% range held": _coverage(row.coverage_95, 95),
        "Width vs naive": f"{row.width_ratio_naive:.2f}×",
    } for row in rows]


# ---- the Ethics & transparency page's words ---------------------------------------------------------

@dataclass(frozen=True)
class EthicsSection:
    """One heading and its paragraphs on the Ethics & transparency page."""

    heading: str
    paragraphs: tuple[str, ...]


def ethics_sections(council: CouncilConfig) -> tuple[EthicsSection, ...]:
    """What the page says before the model cards."""
    return (
        EthicsSection("How analytics are reviewed before use", (
            f"Before the output of a model informs a decision, {council.name}'s data ethics committee, which is "
            "independent of the team that built the model, reviews its model card: what it is for, the data, "
            "the method, how accurate it is when tested fairly, its limitations and how people oversee it.",
            "Review status today: none of the three models below has been reviewed by the committee yet. Each "
            f"card says so until a review is recorded in {REVIEW_RECORD}, with the date, the version reviewed "
            "and any conditions.",
        )),
        EthicsSection("What residents are told and can see", (
            "The dashboard uses published, aggregate open statistics only (ONS, MHCLG and other official "
            "sources, Open Government Licence v3.0). It uses no record about any person, and small-area counts "
            "follow disclosure rules (small counts are suppressed, others rounded) so that nobody can be "
            "identified.",
            "Everything shown can be downloaded as CSV with its source and licence. These model cards are "
            "written for residents as well as staff and follow the UK Algorithmic Transparency Recording "
            "Standard, so they can be published as the council's transparency record for these tools. "
            "Anything synthetic or approximate, such as the illustrative monthly demand series"
            + (f" and the {council.area_word} boundaries" if council.divisions_approximate else "")
            + ", is labelled so wherever it appears.",
        )),
        EthicsSection("Insight supports judgement; it never replaces it", (
            "Projections, the priority index and scenarios are inputs to a conversation. Decisions are taken "
            "by councillors and officers, who weigh these figures with local knowledge, service information "
            "and the views of the people affected. No figure here allocates money or services, or triggers any "
            "action, by itself.",
        )),
        EthicsSection("How to challenge a figure", (_challenge(),)),
    )
