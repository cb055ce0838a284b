"""Typed loaders for the processed dataset in data/. Each returns a validated frame."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from insight import schema as s
from insight.errors import DataFileError, UnknownIndicatorError
from insight.validate import validate_areas, validate_indicators, validate_observations

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[1] / "data"
AREAS_FILE = "areas.parquet"
INDICATORS_FILE = "indicators.csv"
OBSERVATIONS_FILE = "observations.parquet"
ILLUSTRATIVE_FILE = "illustrative_demand.parquet"
REBUILD_DATA = ("Rebuild the dataset with `make data` (python -m insight.build --raw ../shared/essex-raw), or point "
                "INSIGHT_DATA_DIR at a complete one")
REBUILD_FORECASTS = "Rebuild the projections with `make forecasts` (python -m insight.forecast --all)"
BOUNDARY_FILES = {s.Level.DIVISION: "divisions.geojson", s.Level.DISTRICT: "districts.geojson",
                  s.Level.LSOA: "lsoas.geojson"}


@dataclass(frozen=True)
class Indicator:
    """One catalogue entry, typed."""

    indicator_id: str
    title: str
    short_title: str
    unit: str
    value_type: s.ValueType
    polarity: s.Polarity
    frequency: s.Frequency
    theme: str
    levels: tuple[s.Level, ...]
    source: str
    definition: str
    disclosure_rule: str = s.DISCLOSURE_NONE
    status: s.Status = s.Status.REAL
    licence: str = s.OGL

    def row(self) -> dict[str, str]:
        """The catalogue row (indicators.csv) of this indicator."""
        return {
            s.INDICATOR_ID: self.indicator_id, s.TITLE: self.title, s.SHORT_TITLE: self.short_title,
            s.UNIT: self.unit, s.VALUE_TYPE: str(self.value_type), s.POLARITY: str(self.polarity),
            s.FREQUENCY: str(self.frequency), s.THEME: self.theme,
            s.LEVELS: ";".join(str(level) for level in self.levels), s.SOURCE: self.source,
            s.LICENCE: self.licence, s.DEFINITION: self.definition, s.DISCLOSURE_RULE: self.disclosure_rule,
            s.STATUS: str(self.status),
        }

    @property
    def source_line(self) -> str:
        """'Source: <dataset>. Licence: <licence>.' for every chart and export (P2)."""
        return f"Source: {self.source}. Licence: {self.licence}."


@dataclass(frozen=True)
class Dataset:
    """The three tables of the data model."""

    areas: pd.DataFrame
    indicators: pd.DataFrame
    observations: pd.DataFrame


def load_areas(data_dir: Path = DEFAULT_DATA_DIR) -> pd.DataFrame:
    """The areas table, validated."""
    path = Path(data_dir) / AREAS_FILE
    areas = _read_parquet(path)
    validate_areas(areas, path.name)
    return areas


def load_indicators(data_dir: Path = DEFAULT_DATA_DIR) -> pd.DataFrame:
    """The indicator catalogue, validated."""
    path = Path(data_dir) / INDICATORS_FILE
    try:
        indicators = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError as exc:
        raise missing_file(path) from exc
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise unreadable_file(path, "CSV") from exc
    validate_indicators(indicators, path.name)
    if s.ACCESS not in indicators:  # a catalogue without the column is wholly public
        indicators[s.ACCESS] = s.ACCESS_PUBLIC
    return indicators


def load_observations(data_dir: Path = DEFAULT_DATA_DIR, *, areas: pd.DataFrame | None = None,
                      indicators: pd.DataFrame | None = None, file: str = OBSERVATIONS_FILE) -> pd.DataFrame:
    """An observations table, validated against the areas and catalogue when given."""
    path = Path(data_dir) / file
    observations = _read_parquet(path)
    validate_observations(observations, path.name,
                          None if areas is None else set(areas[s.AREA_CODE]),
                          None if indicators is None else set(indicators[s.INDICATOR_ID]))
    return observations


def load_dataset(data_dir: Path = DEFAULT_DATA_DIR, *, include_illustrative: bool = False) -> Dataset:
    """Load and cross-validate the whole dataset. A failure raises before anything is returned."""
    areas = load_areas(data_dir)
    indicators = load_indicators(data_dir)
    observations = load_observations(data_dir, areas=areas, indicators=indicators)
    if include_illustrative:
        extra = load_observations(data_dir, areas=areas, indicators=indicators, file=ILLUSTRATIVE_FILE)
        observations = pd.concat([observations, extra], ignore_index=True)
    return Dataset(areas, indicators, observations)


def load_boundaries(level: s.Level | str, data_dir: Path = DEFAULT_DATA_DIR) -> dict[str, Any]:
    """The simplified boundary layer of a level as a GeoJSON dict (for pydeck)."""
    level = s.Level(level)
    if level not in BOUNDARY_FILES:
        raise ValueError(f"No boundary layer for level '{level}'; available: "
                         f"{', '.join(str(k) for k in BOUNDARY_FILES)}")
    path = Path(data_dir) / "boundaries" / BOUNDARY_FILES[level]
    try:
        layer = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise missing_file(path) from exc
    except (OSError, ValueError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise unreadable_file(path, "GeoJSON") from exc
    if not isinstance(layer, dict) or not isinstance(layer.get("features"), list):
        raise DataFileError(_shown(path), "is not a GeoJSON FeatureCollection", REBUILD_DATA)
    return layer


def indicator_from_row(row: pd.Series | dict[str, Any]) -> Indicator:
    """A typed Indicator from a catalogue row."""
    levels = tuple(s.Level(v) for v in str(row[s.LEVELS]).split(";") if v)
    return Indicator(
        indicator_id=str(row[s.INDICATOR_ID]), title=str(row[s.TITLE]), short_title=str(row[s.SHORT_TITLE]),
        unit=str(row[s.UNIT]), value_type=s.ValueType(row[s.VALUE_TYPE]), polarity=s.Polarity(row[s.POLARITY]),
        frequency=s.Frequency(row[s.FREQUENCY]), theme=str(row[s.THEME]), levels=levels,
        source=str(row[s.SOURCE]), licence=str(row[s.LICENCE]), definition=str(row[s.DEFINITION]),
        disclosure_rule=str(row[s.DISCLOSURE_RULE]), status=s.Status(row[s.STATUS]),
    )


def get_indicator(indicators: pd.DataFrame, indicator_id: str) -> Indicator:
    """The typed catalogue entry of an indicator; UnknownIndicatorError if absent."""
    match = indicators[indicators[s.INDICATOR_ID] == indicator_id]
    if match.empty:
        raise UnknownIndicatorError(indicator_id)
    return indicator_from_row(match.iloc[0])


def missing_file(path: Path, remedy: str = "") -> DataFileError:
    """The error for a dataset file that is not there."""
    return DataFileError(_shown(path), "is missing", remedy or REBUILD_DATA)


def unreadable_file(path: Path, kind: str, remedy: str = "") -> DataFileError:
    """The error for a dataset file that cannot be read (truncated, corrupt, or not that kind of file)."""
    return DataFileError(_shown(path), f"cannot be read: it is not a valid {kind} file (it may be truncated or "
                         "corrupt)", remedy or REBUILD_DATA)


def read_parquet_file(path: Path, columns: list[str], remedy: str = "") -> pd.DataFrame:
    """A Parquet file of the dataset with at least `columns`, or a DataFileError naming it."""
    try:
        frame = pd.read_parquet(path)
    except FileNotFoundError as exc:
        raise missing_file(path, remedy) from exc
    except (OSError, ValueError, TypeError, KeyError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise unreadable_file(path, "Parquet", remedy) from exc
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise DataFileError(_shown(path), f"lacks the column(s) {', '.join(absent)}", remedy or REBUILD_DATA)
    return frame


def _shown(path: Path) -> str:
    """The file as shown to people: its folder and name (the server's full path stays in the logs)."""
    return f"{path.parent.name}/{path.name}"


def _read_parquet(path: Path) -> pd.DataFrame:
    return read_parquet_file(path, [])
