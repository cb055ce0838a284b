"""Each place's early-warning signals, assessed at build time and stored in data/ (``signals.parquet``).

The landing page lists the signals of one place ("Needs attention"). Assessing them live costs a trend test on
each of the place's ~80 series and the first import of scipy: about 0.25 s of the first visitor's wait after a
start. They depend only on the data, so the build stores them, one row per signal, with a fingerprint of what
they were assessed from: the place's observation rows, the catalogue rows of its indicators and its own areas
row. A stored place is used only when the fingerprint of the data being served is the same; otherwise (other
data, a database with other rows, a viewer who sees fewer indicators, a rebuilt dataset with a stale file) the
caller assesses the place live. Signals with targets are never stored (targets belong to a session).

``python -m insight.signal_store --data-dir data`` writes the file; ``insight.build`` calls it after a build.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from insight import schema as s
from insight.loaders import DEFAULT_DATA_DIR, load_dataset
from insight.signals import (
    SIGNAL_LEVELS,
    Direction,
    Evidence,
    Rule,
    SeriesInfo,
    Signal,
    all_signals,
    assess_dataset,
)
from insight.spc import Side

SIGNALS_FILE = "signals.parquet"
FINGERPRINT = "fingerprint"
SIGNAL_COLUMNS = [s.AREA_CODE, FINGERPRINT, "n_signals", "series", "rule", "movement", "direction", "finding",
                  "evidence", "caveat", "when", "magnitude"]


def fingerprint(observations: pd.DataFrame, indicators: pd.DataFrame, area_row: pd.DataFrame) -> str | None:
    """A digest of what one place's signals are assessed from: its observation rows (every column, in a fixed
    order), the catalogue rows of the indicators among them and its own areas row; None when a column cannot
    be hashed (a cell holding a list, say), so the place is assessed live."""
    mine = observations.sort_values([s.INDICATOR_ID, s.PERIOD_START], kind="stable")
    mine = mine[sorted(mine.columns)].reset_index(drop=True)
    used = indicators[indicators[s.INDICATOR_ID].isin(set(mine[s.INDICATOR_ID]))].sort_values(s.INDICATOR_ID)
    used = used[sorted(used.columns)].reset_index(drop=True)
    digest = hashlib.sha256()
    for part in (mine, used, area_row[sorted(area_row.columns)].reset_index(drop=True)):
        digest.update(",".join(map(str, part.columns)).encode())
        try:
            digest.update(pd.util.hash_pandas_object(part, index=False).to_numpy().tobytes())
        except TypeError:  # an unhashable cell: no digest, so nothing stored can be matched to these rows
            return None
    return digest.hexdigest()


def _evidence_json(evidence: tuple[Evidence, ...]) -> str:
    return json.dumps([[e.period_start.isoformat(), e.period_label, e.value, e.note] for e in evidence])


def _row(area_code: str, digest: str, signal: Signal) -> dict[str, object]:
    return {s.AREA_CODE: area_code, FINGERPRINT: digest, "series": json.dumps(asdict(signal.series)), "rule": signal.rule.value,
            "movement": signal.movement.value, "direction": signal.direction.value, "finding": signal.finding,
            "evidence": _evidence_json(signal.evidence), "caveat": signal.caveat, "when": signal.when,
            "magnitude": float(signal.magnitude)}


def signals_table(observations: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Every place's signals (no targets), one row per signal, plus one row with no signal for a place that has
    none, each carrying the place's fingerprint and its number of signals (SIGNAL_COLUMNS)."""
    places = areas[areas[s.LEVEL].isin([str(level) for level in SIGNAL_LEVELS])]
    rows: list[dict[str, object]] = []
    for code in sorted(places[s.AREA_CODE].astype(str)):
        mine = observations[observations[s.AREA_CODE] == code]
        digest = fingerprint(mine, indicators, areas[areas[s.AREA_CODE] == code])
        if digest is None:  # nothing stored could be matched to these rows: the place is assessed live
            continue
        found = all_signals(assess_dataset(mine, indicators, areas))
        if not found:
            rows.append({s.AREA_CODE: code, FINGERPRINT: digest, "n_signals": 0})
        rows.extend({**_row(code, digest, x), "n_signals": len(found)} for x in found)
    return pd.DataFrame(rows, columns=SIGNAL_COLUMNS)


def _signal(row: pd.Series) -> Signal:
    fields = json.loads(str(row["series"]))
    series = SeriesInfo(**{**fields, "polarity": s.Polarity(fields["polarity"]),
                           "value_type": s.ValueType(fields["value_type"]), "status": s.Status(fields["status"])})
    evidence = tuple(Evidence(pd.Timestamp(when), str(label), float(value), str(note))
                     for when, label, value, note in json.loads(str(row["evidence"])))
    return Signal(series=series, rule=Rule(str(row["rule"])), movement=Side(str(row["movement"])),
                  direction=Direction(str(row["direction"])), finding=str(row["finding"]), evidence=evidence,
                  caveat=str(row["caveat"]), when=pd.Timestamp(row["when"]), magnitude=float(row["magnitude"]))


def stored_signals(table: pd.DataFrame, area_code: str, digest: str | None) -> tuple[Signal, ...] | None:
    """The stored signals of a place, or None when the table does not hold it, holds it for other data or the
    served rows have no digest."""
    mine = table[table[s.AREA_CODE] == area_code]
    if digest is None or mine.empty or set(mine[FINGERPRINT]) != {digest}:
        return None
    found = mine[mine["n_signals"] > 0]
    if len(found) != int(mine["n_signals"].iloc[0]):
        return None
    return tuple(_signal(row) for _, row in found.iterrows())


def write_signals(data_dir: Path) -> Path:
    """Assess the dataset in ``data_dir`` and write its signals file there."""
    dataset = load_dataset(Path(data_dir))
    table = signals_table(dataset.observations, dataset.indicators, dataset.areas)
    path = Path(data_dir) / SIGNALS_FILE
    table.to_parquet(path, index=False)
    return path


def read_signals(data_dir: Path) -> pd.DataFrame:
    """The stored signals of ``data_dir`` (an empty table when there is no file or it cannot be read: every
    place is then assessed live)."""
    path = Path(data_dir) / SIGNALS_FILE
    try:
        table = pd.read_parquet(path)
    except (OSError, ValueError):
        return pd.DataFrame(columns=SIGNAL_COLUMNS)
    if not set(SIGNAL_COLUMNS) <= set(table.columns):
        return pd.DataFrame(columns=SIGNAL_COLUMNS)
    return table


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m insight.signal_store", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    args = parser.parse_args(argv)
    print(f"-> {write_signals(args.data_dir)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
