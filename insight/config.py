"""The council configuration: every council-specific fact (codes, names, raw file names) in one TOML file.

A council is a county council (Essex: its small areas are county electoral divisions) or a district council
(Colchester: its small areas are wards). The TOML says which, names the council's own area, the comparators
shown beside it, its districts, its small-area layer and the raw files the build reads. docs/new-council.md
lists every field. The old field names (``county_code``, ``county_name``, ``[divisions]``) still work.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from insight.errors import InsightError

DEFAULT_CONFIG = Path(__file__).parent / "councils" / "essex.toml"
COUNCIL_ENV = "INSIGHT_COUNCIL"  # path of another council's TOML (the app and the build read it)
DATA_DIR_ENV = "INSIGHT_DATA_DIR"  # the processed dataset the app reads (components.data)
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[1] / "data"
DATASET_COUNCIL_FILE = "council.toml"  # the build writes the configuration it used beside the dataset
COUNCIL_LEVELS = ("county", "district")
COMPARATOR_KINDS = ("county", "region", "england")  # the order comparators are shown in
CODE = re.compile(r"^[EWSN]\d{8}$")  # an ONS GSS code, e.g. E07000071


class ConfigError(InsightError):
    """A council TOML is missing a field or has a wrong value; the message says which and what to do."""


@dataclass(frozen=True)
class Comparator:
    """An area shown beside the council: its county (for a district council), region or England."""

    kind: str  # one of COMPARATOR_KINDS
    code: str
    name: str


@dataclass(frozen=True)
class CouncilConfig:
    """What the build and the app need to know about one council (a county or a district)."""

    name: str  # "Colchester City Council"
    short_name: str  # "Colchester": how pages name the council's area
    council_code: str  # the council's own area: a county (E10...) or a district (E07...)
    council_name: str  # the council's area as ONS names it
    region_code: str
    region_name: str
    england_code: str
    england_name: str
    census_2021_population: int  # the build checks that the small areas and districts sum to this
    districts: dict[str, str]  # a county's districts; a district council lists only itself
    division_file: str  # the small-area boundary layer, relative to the raw folder
    divisions_approximate: bool
    division_code_prefix: str  # "E58" (county electoral divisions), "E05" (wards)
    raw: dict[str, str]
    area_word: str = "division"  # what the council calls its small areas, as in "Clacton West division"
    area_title: str = "county electoral division"  # the long name, as in "a county electoral division"
    council_level: str = "county"  # "county" or "district"
    comparators: tuple[Comparator, ...] = ()  # in COMPARATOR_KINDS order; the county only for a district council
    division_code_column: str | None = None  # exact column names in the boundary file (detected when None)
    division_name_column: str | None = None
    division_lookup: str | None = None  # an LSOA 2021 -> small area lookup (CSV); None: population centroids
    division_lookup_column: str | None = None  # its small-area code column (detected when None)
    source: Path | None = field(default=None, compare=False)  # the TOML this was read from

    @property
    def county_code(self) -> str:
        """The council's own area code (the old name: for a district council it is the district's code)."""
        return self.council_code

    @property
    def county_name(self) -> str:
        """The council's own area name (the old name of ``council_name``)."""
        return self.council_name

    @property
    def is_district_council(self) -> bool:
        """True when the council's own area is one district (its small areas are wards)."""
        return self.council_level == "district"

    @property
    def area_word_plural(self) -> str:
        """'divisions'."""
        return f"{self.area_word}s"

    @property
    def area_help(self) -> str:
        """The sidebar's help text for the small-area filter."""
        approximate = " (approximate boundaries)" if self.divisions_approximate else ""
        return f"{self.name}'s {self.area_title}s{approximate}."

    @property
    def comparator_codes(self) -> tuple[str, str, str]:
        """County, region and England codes, in the order comparators are shown.

        For a county council the 'county' comparator is the council itself (a page shows it as the area, not as
        a comparator line); a district council's is the county it lies in.
        """
        codes = {c.kind: c.code for c in self.comparators}
        return (codes.get("county", self.council_code), self.region_code, self.england_code)

    @property
    def comparator_names(self) -> dict[str, str]:
        """Comparator kind -> the name to show for it ('county' -> 'Essex' for both Essex and Colchester)."""
        names = {c.kind: c.name for c in self.comparators}
        return {"county": names.get("county", self.short_name), "region": self.region_name,
                "england": self.england_name}


def council_path() -> Path:
    """The council configuration in use: $INSIGHT_COUNCIL, else the dataset's own council.toml, else Essex.

    The dataset is $INSIGHT_DATA_DIR (default data/); the build writes the configuration it used there, so
    pointing the app at a dataset is enough for it to know the council.
    """
    if os.environ.get(COUNCIL_ENV):
        return Path(os.environ[COUNCIL_ENV])
    written = Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR) / DATASET_COUNCIL_FILE
    return written if written.is_file() else DEFAULT_CONFIG


def load_config(path: Path | None = None) -> CouncilConfig:
    """Read a council TOML configuration (default: ``council_path()``); ConfigError says what is wrong."""
    path = council_path() if path is None else Path(path)
    try:
        with path.open("rb") as handle:
            doc = tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: council configuration not found; pass --config PATH (or set "
                          f"{COUNCIL_ENV}) to a TOML such as insight/councils/essex.toml") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    return parse_config(doc, path)


def parse_config(doc: dict[str, Any], path: Path) -> CouncilConfig:
    """Build a CouncilConfig from a parsed TOML document (both the current and the old field names)."""
    council = _table(doc, "council", path)
    areas_key = "divisions" if "divisions" in doc and "small_areas" not in doc else "small_areas"
    areas = _table(doc, areas_key, path)
    build = doc.get("build", {})  # written by the build into a dataset's council.toml (e.g. --divisions)
    code = _text(council, "code", path, "council", old="county_code")
    level = str(council.get("level", "county"))
    if level not in COUNCIL_LEVELS:
        raise ConfigError(f"{path}: [council] level = {level!r}; use 'county' or 'district'")
    comparators = _comparators(doc, council, code, level, path)
    by_kind = {c.kind: c for c in comparators}
    if "region" not in by_kind or "england" not in by_kind:
        raise ConfigError(f"{path}: [comparators] needs region and england (each {{ code = ..., name = ... }})")
    districts = {str(k): str(v) for k, v in _table(doc, "districts", path).items()}
    if not districts:
        raise ConfigError(f"{path}: [districts] is empty; list the council's districts as CODE = \"Name\"")
    for where, value in [("[council] code", code), *((f"[districts] {k}", k) for k in districts)]:
        if not CODE.match(value):
            raise ConfigError(f"{path}: {where} = {value!r} is not an ONS area code such as 'E07000071'")
    if level == "district" and code not in districts:
        raise ConfigError(f"{path}: a district council lists itself in [districts] ({code} = \"...\")")
    population = council.get("census_2021_population")
    if not isinstance(population, int) or population <= 0:
        raise ConfigError(f"{path}: [council] census_2021_population must be a whole number of residents "
                          f"(Census 2021 usual residents of the council's area), not {population!r}")
    short_name = _text(council, "short_name", path, "council")
    return CouncilConfig(
        name=_text(council, "name", path, "council"),
        short_name=short_name,
        council_code=code,
        council_name=str(council.get("area_name") or council.get("county_name") or short_name),
        region_code=by_kind["region"].code,
        region_name=by_kind["region"].name,
        england_code=by_kind["england"].code,
        england_name=by_kind["england"].name,
        census_2021_population=population,
        districts=districts,
        division_file=str(build.get("small_area_file") or _text(areas, "file", path, areas_key)),
        divisions_approximate=bool(build.get("approximate", _flag(areas, "approximate", path, areas_key))),
        division_code_prefix=str(areas.get("code_prefix", "E58")),
        raw={str(k): str(v) for k, v in _table(doc, "raw", path).items()},
        area_word=str(areas.get("word", "division")),
        area_title=str(areas.get("title", "county electoral division")),
        council_level=level,
        comparators=comparators,
        division_code_column=areas.get("code_column"),
        division_name_column=areas.get("name_column"),
        division_lookup=areas.get("lsoa_lookup"),
        division_lookup_column=areas.get("lookup_code_column"),
        source=path,
    )


def dataset_council(data_dir: Path) -> CouncilConfig | None:
    """The configuration a dataset was built with (its council.toml), or None for a dataset without one."""
    path = Path(data_dir) / DATASET_COUNCIL_FILE
    return load_config(path) if path.is_file() else None


def check_dataset_council(config: CouncilConfig, data_dir: Path) -> None:
    """Raise ConfigError when the dataset in `data_dir` was built for another council than `config`."""
    built = dataset_council(data_dir)
    if built is not None and built.council_code != config.council_code:
        raise ConfigError(f"The dataset in {data_dir} was built for {built.short_name} ({built.council_code}), "
                          f"but the council configuration in use is {config.short_name} ({config.council_code})"
                          f": set {COUNCIL_ENV} and {DATA_DIR_ENV} to the same council (make run COUNCIL=...).")


def _comparators(doc: dict[str, Any], council: dict[str, Any], code: str, level: str,
                 path: Path) -> tuple[Comparator, ...]:
    table = doc.get("comparators")
    if table is None:  # the old layout: region and England in [council]
        table = {"region": {"code": council.get("region_code"), "name": council.get("region_name")},
                 "england": {"code": council.get("england_code"), "name": council.get("england_name")}}
    unknown = sorted(set(table) - set(COMPARATOR_KINDS))
    if unknown:
        raise ConfigError(f"{path}: [comparators] has {', '.join(unknown)}; use at most three of "
                          f"{', '.join(COMPARATOR_KINDS)}")
    out = []
    for kind in COMPARATOR_KINDS:
        if kind not in table:
            continue
        entry = table[kind]
        if not isinstance(entry, dict) or not entry.get("code") or not entry.get("name"):
            raise ConfigError(f"{path}: [comparators] {kind} needs a code and a name, e.g. "
                              f"{kind} = {{ code = \"E12000006\", name = \"East of England\" }}")
        if not CODE.match(str(entry["code"])):
            raise ConfigError(f"{path}: [comparators] {kind} code {entry['code']!r} is not an ONS area code")
        out.append(Comparator(kind, str(entry["code"]), str(entry["name"])))
    county = next((c for c in out if c.kind == "county"), None)
    if level == "county" and county is not None and county.code != code:
        raise ConfigError(f"{path}: a county council is its own 'county' comparator; remove [comparators] county "
                          f"or set it to the council's code {code}")
    return tuple(out)


def _table(doc: dict[str, Any], name: str, path: Path) -> dict[str, Any]:
    table = doc.get(name)
    if not isinstance(table, dict):
        hint = " (or the old name [divisions])" if name == "small_areas" else ""
        raise ConfigError(f"{path}: the [{name}] table is missing{hint}; see docs/new-council.md")
    return table


def _flag(table: dict[str, Any], key: str, path: Path, where: str) -> bool:
    value = table.get(key)
    if not isinstance(value, bool):
        raise ConfigError(f"{path}: [{where}] {key} must be true or false (true labels every {where} view as "
                          "approximate: use it for boundaries you derived yourself)")
    return value


def _text(table: dict[str, Any], key: str, path: Path, where: str, old: str | None = None) -> str:
    value = table.get(key, table.get(old) if old else None)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}: [{where}] {key} is missing or empty; see docs/new-council.md")
    return value.strip()
