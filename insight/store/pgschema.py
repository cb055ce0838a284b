"""How the dataset's tables are laid out in PostgreSQL/PostGIS: one schema per loaded dataset version.

``insight_meta.datasets`` lists the loaded versions and ``insight_meta.active`` names the one served. Each
version lives in its own schema (``insight_<dataset id>``) with the tables below. Column types follow the
frames' dtypes (recorded in the version's ``frame_columns`` table, so a read gives back the same dtypes), and
the constraints check what the data model promises: keys, foreign keys, codes, vocabularies and periods.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from insight import schema as s
from insight.forecast.precompute import HORIZON_STEP

META_SCHEMA = "insight_meta"
SCHEMA_PREFIX = "insight_"
DATASET_ID_PATTERN = re.compile(r"d[0-9]{8}t[0-9]{6}_[0-9a-f]{8}")
ROW_NUMBER = "row_number"  # position of the row in its frame, so a read returns rows in the same order
BOUNDARY_LEVELS = (s.Level.DIVISION, s.Level.DISTRICT, s.Level.LSOA)
AREA_CODE_RE = "^[A-Z][0-9]{8}$"

META_DDL = f"""
CREATE SCHEMA IF NOT EXISTS {META_SCHEMA};
CREATE TABLE IF NOT EXISTS {META_SCHEMA}.datasets (
    dataset_id text PRIMARY KEY CHECK (dataset_id ~ '^{DATASET_ID_PATTERN.pattern}$'),
    schema_name text NOT NULL UNIQUE,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    source text NOT NULL,
    content_sha256 text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{{64}}$'),
    row_counts jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS {META_SCHEMA}.active (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    dataset_id text NOT NULL REFERENCES {META_SCHEMA}.datasets (dataset_id),
    activated_at timestamptz NOT NULL DEFAULT now()
);
"""


def _in(column: str, values: object) -> str:
    quoted = ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)  # type: ignore[attr-defined]
    return f"{column} IN ({quoted})"


@dataclass(frozen=True)
class Constraint:
    """One named table constraint; added only when the frame has every column it names."""

    name: str
    sql: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    """A frame's table: its name, the columns stored as NULL when blank, and its constraints."""

    name: str
    constraints: tuple[Constraint, ...]
    not_null: tuple[str, ...] = ()
    blank_as_null: tuple[str, ...] = field(default=())  # '' in the frame, NULL in the database (for an FK)


def _obs_spec(name: str) -> TableSpec:
    return TableSpec(name, (
        Constraint(f"{name}_pkey", f"PRIMARY KEY ({s.AREA_CODE}, {s.INDICATOR_ID}, {s.PERIOD_START})",
                   (s.AREA_CODE, s.INDICATOR_ID, s.PERIOD_START)),
        Constraint(f"{name}_area_fkey", f"FOREIGN KEY ({s.AREA_CODE}) REFERENCES areas ({s.AREA_CODE})",
                   (s.AREA_CODE,)),
        Constraint(f"{name}_indicator_fkey",
                   f"FOREIGN KEY ({s.INDICATOR_ID}) REFERENCES indicators ({s.INDICATOR_ID})", (s.INDICATOR_ID,)),
        Constraint(f"{name}_period_order", f"CHECK ({s.PERIOD_END} >= {s.PERIOD_START})",
                   (s.PERIOD_START, s.PERIOD_END)),
        Constraint(f"{name}_counts_not_negative", f"CHECK ({s.NUMERATOR} >= 0 AND {s.DENOMINATOR} >= 0)",
                   (s.NUMERATOR, s.DENOMINATOR)),
        Constraint(f"{name}_numerator_within_denominator", f"CHECK ({s.NUMERATOR} <= {s.DENOMINATOR})",
                   (s.NUMERATOR, s.DENOMINATOR)),
        Constraint(f"{name}_interval_order", f"CHECK ({s.LOWER_95} <= {s.UPPER_95})", (s.LOWER_95, s.UPPER_95)),
        Constraint(f"{name}_known_flag", f"CHECK ({_in(s.FLAG, [str(f) for f in s.Flag])})", (s.FLAG,)),
    ), not_null=(s.AREA_CODE, s.INDICATOR_ID, s.PERIOD_START, s.PERIOD_END, s.PERIOD_LABEL, s.FLAG))


_LEVEL_LIST = f"{'|'.join(str(v) for v in s.Level)}"
AREAS = TableSpec("areas", (
    Constraint("areas_pkey", f"PRIMARY KEY ({s.AREA_CODE})", (s.AREA_CODE,)),
    Constraint("areas_code_level_key", f"UNIQUE ({s.AREA_CODE}, {s.LEVEL})", (s.AREA_CODE, s.LEVEL)),
    Constraint("areas_code_format", f"CHECK ({s.AREA_CODE} ~ '{AREA_CODE_RE}')", (s.AREA_CODE,)),
    Constraint("areas_name_not_blank", f"CHECK ({s.AREA_NAME} <> '')", (s.AREA_NAME,)),
    Constraint("areas_known_level", f"CHECK ({_in(s.LEVEL, [str(v) for v in s.Level])})", (s.LEVEL,)),
    Constraint("areas_parent_fkey", f"FOREIGN KEY ({s.PARENT_CODE}) REFERENCES areas ({s.AREA_CODE})",
               (s.PARENT_CODE,)),
    Constraint("areas_parent_codes_format",
               f"CHECK ({s.PARENT_CODES} ~ '^([A-Z][0-9]{{8}}(;[A-Z][0-9]{{8}})*)?$')", (s.PARENT_CODES,)),
    Constraint("areas_population_not_negative", f"CHECK ({s.POPULATION} >= 0)", (s.POPULATION,)),
    Constraint("areas_share_is_fraction", f"CHECK ({s.SHARE_FROM_WHOLE_WARDS} BETWEEN 0 AND 1)",
               (s.SHARE_FROM_WHOLE_WARDS,)),
), not_null=(s.AREA_CODE, s.AREA_NAME, s.LEVEL, s.PARENT_CODES, s.APPROXIMATE), blank_as_null=(s.PARENT_CODE,))

INDICATORS = TableSpec("indicators", (
    Constraint("indicators_pkey", f"PRIMARY KEY ({s.INDICATOR_ID})", (s.INDICATOR_ID,)),
    Constraint("indicators_id_format", f"CHECK ({s.INDICATOR_ID} ~ '^[A-Za-z0-9_-]{{1,64}}$')", (s.INDICATOR_ID,)),
    Constraint("indicators_known_value_type", f"CHECK ({_in(s.VALUE_TYPE, [str(v) for v in s.ValueType])})",
               (s.VALUE_TYPE,)),
    Constraint("indicators_known_polarity", f"CHECK ({_in(s.POLARITY, [str(v) for v in s.Polarity])})",
               (s.POLARITY,)),
    Constraint("indicators_known_frequency", f"CHECK ({_in(s.FREQUENCY, [str(v) for v in s.Frequency])})",
               (s.FREQUENCY,)),
    Constraint("indicators_known_status", f"CHECK ({_in(s.STATUS, [str(v) for v in s.Status])})", (s.STATUS,)),
    Constraint("indicators_known_disclosure_rule",
               f"CHECK ({_in(s.DISCLOSURE_RULE, [s.DISCLOSURE_NONE, s.DISCLOSURE_SMALL_COUNTS])})",
               (s.DISCLOSURE_RULE,)),
    Constraint("indicators_levels_format", f"CHECK ({s.LEVELS} ~ '^({_LEVEL_LIST})(;({_LEVEL_LIST}))*$')",
               (s.LEVELS,)),
    Constraint("indicators_access_format", f"CHECK ({s.ACCESS} ~ '^({s.ACCESS_PATTERN})$')", (s.ACCESS,)),
), not_null=tuple(s.INDICATOR_COLUMNS) + (s.ACCESS,))

OBSERVATIONS = _obs_spec("observations")
ILLUSTRATIVE = _obs_spec("illustrative_observations")

_KEYS = (s.INDICATOR_ID, s.AREA_CODE)
_FKS = (
    ("area", f"FOREIGN KEY ({s.AREA_CODE}) REFERENCES areas ({s.AREA_CODE})", (s.AREA_CODE,)),
    ("indicator", f"FOREIGN KEY ({s.INDICATOR_ID}) REFERENCES indicators ({s.INDICATOR_ID})", (s.INDICATOR_ID,)),
)
PROJECTIONS = TableSpec("projections", (
    Constraint("projections_pkey", f"PRIMARY KEY ({s.INDICATOR_ID}, {s.AREA_CODE}, {HORIZON_STEP})",
               (*_KEYS, HORIZON_STEP)),
    *(Constraint(f"projections_{n}_fkey", sql, cols) for n, sql, cols in _FKS),
    Constraint("projections_step_positive", f"CHECK ({HORIZON_STEP} >= 1)", (HORIZON_STEP,)),
    Constraint("projections_ranges_nested",
               "CHECK (lower_95 <= lower_80 AND lower_80 <= point AND point <= upper_80 AND upper_80 <= upper_95)",
               ("lower_95", "lower_80", "point", "upper_80", "upper_95")),
), not_null=(*_KEYS, HORIZON_STEP, s.PERIOD_START))
BACKTESTS = TableSpec("backtests", (
    Constraint("backtests_pkey", f"PRIMARY KEY ({s.INDICATOR_ID}, {s.AREA_CODE})", _KEYS),
    *(Constraint(f"backtests_{n}_fkey", sql, cols) for n, sql, cols in _FKS),
    Constraint("backtests_coverage_80_is_fraction", "CHECK (coverage_80 BETWEEN 0 AND 1)", ("coverage_80",)),
    Constraint("backtests_coverage_95_is_fraction", "CHECK (coverage_95 BETWEEN 0 AND 1)", ("coverage_95",)),
    Constraint("backtests_points_not_negative", "CHECK (n_points >= 0)", ("n_points",)),
), not_null=_KEYS)

FRAME_TABLES = (AREAS, INDICATORS, OBSERVATIONS, ILLUSTRATIVE, PROJECTIONS, BACKTESTS)

FRAME_COLUMNS_DDL = """
CREATE TABLE frame_columns (
    table_name text NOT NULL,
    position integer NOT NULL,
    column_name text NOT NULL,
    dtype text NOT NULL,
    PRIMARY KEY (table_name, position),
    UNIQUE (table_name, column_name)
);
"""
BOUNDARIES_DDL = f"""
CREATE TABLE boundaries (
    level text NOT NULL CHECK ({_in('level', [str(v) for v in BOUNDARY_LEVELS])}),
    ordinal integer NOT NULL CHECK (ordinal >= 0),
    {s.AREA_CODE} text NOT NULL,
    properties jsonb NOT NULL,
    geom geometry(Geometry, 4326) NOT NULL
        CHECK (GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON') AND NOT ST_IsEmpty(geom)),
    PRIMARY KEY (level, ordinal),
    UNIQUE (level, {s.AREA_CODE}),
    CONSTRAINT boundaries_area_fkey FOREIGN KEY ({s.AREA_CODE}, level) REFERENCES areas ({s.AREA_CODE}, {s.LEVEL})
);
CREATE INDEX boundaries_geom_idx ON boundaries USING gist (geom);
CREATE TABLE boundary_layers (
    level text PRIMARY KEY,
    members jsonb NOT NULL  -- the FeatureCollection's members other than its features
);
"""

SQL_TYPES = {"str": "text", "object": "text", "float64": "double precision", "int64": "bigint", "bool": "boolean",
             "datetime64[ns]": "timestamp", "datetime64[us]": "timestamp"}


def dtype_name(series: pd.Series) -> str:
    """The dtype of a column as recorded in frame_columns (one of SQL_TYPES)."""
    dtype = series.dtype
    if isinstance(dtype, pd.StringDtype):
        return "str"
    name = str(dtype)
    if name not in SQL_TYPES:
        raise ValueError(f"column '{series.name}' has dtype {name}, which the PostgreSQL store cannot hold")
    return name


def create_table_sql(spec: TableSpec, frame: pd.DataFrame) -> str:
    """CREATE TABLE for a frame (row_number first), without its constraints."""
    columns = [f"{ROW_NUMBER} integer NOT NULL UNIQUE"]
    for column in frame.columns:
        null = " NOT NULL" if column in spec.not_null else ""
        columns.append(f"{quote_ident(column)} {SQL_TYPES[dtype_name(frame[column])]}{null}")
    return f"CREATE TABLE {spec.name} (\n    " + ",\n    ".join(columns) + "\n)"


def constraint_sql(spec: TableSpec, frame: pd.DataFrame) -> list[str]:
    """ALTER TABLE statements adding every constraint whose columns the frame has."""
    present = set(frame.columns)
    return [f"ALTER TABLE {spec.name} ADD CONSTRAINT {c.name} {c.sql}" for c in spec.constraints
            if set(c.columns) <= present]


def quote_ident(name: str) -> str:
    """A column name as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def schema_for(dataset_id: str) -> str:
    """The schema holding one dataset version; refuses anything but a well-formed dataset id."""
    if not DATASET_ID_PATTERN.fullmatch(dataset_id):
        raise ValueError(f"not a dataset id: {dataset_id!r}")
    return SCHEMA_PREFIX + dataset_id
