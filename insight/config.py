"""The council configuration: every council-specific fact (codes, names, raw file names) in one TOML file."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_CONFIG = Path(__file__).parent / "councils" / "essex.toml"
COUNCIL_ENV = "INSIGHT_COUNCIL"  # path of another council's TOML (the app and the build read it)


@dataclass(frozen=True)
class CouncilConfig:
    """What the build and the app need to know about one county council."""

    name: str
    short_name: str
    county_code: str
    county_name: str
    region_code: str
    region_name: str
    england_code: str
    england_name: str
    census_2021_population: int
    districts: dict[str, str]
    division_file: str
    divisions_approximate: bool
    division_code_prefix: str
    raw: dict[str, str]
    area_word: str = "division"  # what the council calls its small areas, as in "Clacton West division"
    area_title: str = "county electoral division"  # the long name, as in "a county electoral division"

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
        """County, region and England codes, in the order comparators are shown."""
        return (self.county_code, self.region_code, self.england_code)


def council_path() -> Path:
    """The council configuration in use: $INSIGHT_COUNCIL, else Essex."""
    return Path(os.environ.get(COUNCIL_ENV) or DEFAULT_CONFIG)


def load_config(path: Path | None = None) -> CouncilConfig:
    """Read a council TOML configuration (default: ``council_path()``)."""
    path = council_path() if path is None else path
    with Path(path).open("rb") as handle:
        doc = tomllib.load(handle)
    council = doc["council"]
    return CouncilConfig(
        name=council["name"],
        short_name=council["short_name"],
        county_code=council["county_code"],
        county_name=council["county_name"],
        region_code=council["region_code"],
        region_name=council["region_name"],
        england_code=council["england_code"],
        england_name=council["england_name"],
        census_2021_population=int(council["census_2021_population"]),
        districts=dict(doc["districts"]),
        division_file=doc["divisions"]["file"],
        divisions_approximate=bool(doc["divisions"]["approximate"]),
        division_code_prefix=doc["divisions"].get("code_prefix", "E58"),
        raw=dict(doc["raw"]),
        area_word=str(doc["divisions"].get("word", "division")),
        area_title=str(doc["divisions"].get("title", "county electoral division")),
    )
