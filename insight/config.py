"""The council configuration: every council-specific fact (codes, names, raw file names) in one TOML file."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_CONFIG = Path(__file__).parent / "councils" / "essex.toml"


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

    @property
    def comparator_codes(self) -> tuple[str, str, str]:
        """County, region and England codes, in the order comparators are shown."""
        return (self.county_code, self.region_code, self.england_code)


def load_config(path: Path = DEFAULT_CONFIG) -> CouncilConfig:
    """Read a council TOML configuration."""
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
    )
