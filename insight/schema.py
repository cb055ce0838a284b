"""Column names and vocabularies of the data model, in one place.

Three tidy tables describe any council's data:

* **areas** – one row per area at a level (england, region, county, district, division, lsoa);
* **indicators** – the catalogue, one row per indicator;
* **observations** – one row per (area, indicator, period).
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    """Geographic levels, from largest to smallest."""

    ENGLAND = "england"
    REGION = "region"
    COUNTY = "county"
    DISTRICT = "district"
    DIVISION = "division"
    LSOA = "lsoa"


class Polarity(StrEnum):
    """Which direction of an indicator is good."""

    HIGHER_IS_BETTER = "higher_is_better"
    HIGHER_IS_WORSE = "higher_is_worse"
    NEITHER = "neither"


class Status(StrEnum):
    """How far a figure can be taken as measured fact."""

    REAL = "real"
    MODELLED = "modelled"
    ILLUSTRATIVE = "illustrative"
    UPLOADED = "uploaded"  # a user's own file, held only for their session (insight.your_data)


class Frequency(StrEnum):
    """How often an indicator is published; rolling windows are one observation each."""

    ANNUAL = "annual"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"  # only in uploads (insight.your_data): shown as a trend, not projected
    ROLLING_3_YEAR = "3-year rolling"
    ROLLING_5_YEAR = "5-year rolling"
    SNAPSHOT = "snapshot"
    EDITIONS = "irregular editions"  # e.g. IMD 2004, 2007, 2010, 2015, 2019, 2025


class Flag(StrEnum):
    """Per-observation markers, carried through and never turned into zeros."""

    NONE = ""
    UNRELIABLE = "unreliable"
    NOT_AVAILABLE = "not available"
    SUPPRESSED = "suppressed"
    PROVISIONAL = "provisional"


class ValueType(StrEnum):
    """What kind of number a value is; decides intervals and bounds."""

    PROPORTION = "proportion"  # a percentage 0-100 with numerator/denominator where known
    RATE = "rate"  # per 1,000 / 100,000 etc.
    COUNT = "count"
    MEAN = "mean"  # mean score, money, minutes ...
    SCORE = "score"  # an index score that may be negative (IMD domain scores)
    PERCENTILE = "percentile"


# ---- areas -----------------------------------------------------------------------------------
AREA_CODE = "area_code"
AREA_NAME = "area_name"
LEVEL = "level"
PARENT_CODE = "parent_code"  # main parent (for a division: the district holding most residents)
PARENT_CODES = "parent_codes"  # every parent, ";"-joined (a division can span districts)
POPULATION = "population"  # Census 2021 usual residents, where known
APPROXIMATE = "approximate"  # geometry is approximate (True for the derived division layer)
SHARE_FROM_WHOLE_WARDS = "share_from_whole_wards"  # divisions: share of the area built from whole wards

AREA_COLUMNS = [AREA_CODE, AREA_NAME, LEVEL, PARENT_CODE, PARENT_CODES, POPULATION, APPROXIMATE,
                SHARE_FROM_WHOLE_WARDS]

# ---- indicators ------------------------------------------------------------------------------
INDICATOR_ID = "indicator_id"
TITLE = "title"
SHORT_TITLE = "short_title"
UNIT = "unit"
VALUE_TYPE = "value_type"
POLARITY = "polarity"
FREQUENCY = "frequency"
THEME = "theme"
LEVELS = "levels"  # ";"-joined Level values
SOURCE = "source"
LICENCE = "licence"
DEFINITION = "definition"
DISCLOSURE_RULE = "disclosure_rule"  # "none" or "small_counts" (suppress 1-7, round to 5)
STATUS = "status"

INDICATOR_COLUMNS = [INDICATOR_ID, TITLE, SHORT_TITLE, UNIT, VALUE_TYPE, POLARITY, FREQUENCY, THEME,
                     LEVELS, SOURCE, LICENCE, DEFINITION, DISCLOSURE_RULE, STATUS]

# Optional catalogue column (absent means public): "public", or "restricted:<group>" for an indicator only
# signed-in members of that group may see (insight.access applies it).
ACCESS = "access"
ACCESS_PUBLIC = "public"
ACCESS_RESTRICTED = "restricted:"
ACCESS_PATTERN = r"public|restricted:[A-Za-z0-9_.\-]{1,64}"

DISCLOSURE_NONE = "none"
DISCLOSURE_SMALL_COUNTS = "small_counts"

# ---- observations ----------------------------------------------------------------------------
PERIOD_START = "period_start"  # datetime64: first day of the period
PERIOD_END = "period_end"  # datetime64: last day of the period
PERIOD_LABEL = "period_label"  # human label, e.g. "2023", "2011-13", "Jul 2023"
VALUE = "value"
NUMERATOR = "numerator"
DENOMINATOR = "denominator"
LOWER_95 = "lower_95"
UPPER_95 = "upper_95"
FLAG = "flag"

OBSERVATION_COLUMNS = [AREA_CODE, INDICATOR_ID, PERIOD_START, PERIOD_END, PERIOD_LABEL, VALUE,
                       NUMERATOR, DENOMINATOR, LOWER_95, UPPER_95, FLAG]
OBSERVATION_KEY = [AREA_CODE, INDICATOR_ID, PERIOD_START]

OGL_STATEMENT = "Contains public sector information licensed under the Open Government Licence v3.0."
OGL_ATTRIBUTION = (
    OGL_STATEMENT + " "
    "Source: Office for National Statistics; Ministry of Housing, Communities & Local Government. "
    "Contains OS data © Crown copyright and database right."
)
OGL = "Open Government Licence v3.0"
APPROXIMATE_BOUNDARIES_NOTICE = (
    "Division boundaries are APPROXIMATE: rebuilt from wards and 2011 output areas because official "
    "division polygons were not available. Division figures are aggregated from LSOAs placed in a "
    "division by their population-weighted centroid."
)
