"""Numbers and words for people: UK formats, units, and change described in plain English."""

from __future__ import annotations

import math

from insight import schema as s


def lower_first(text: str) -> str:
    """The first letter lowered for use mid-sentence, unless the word is an acronym ('IMD', 'GVA')."""
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


def format_value(value: float | None, unit: str, value_type: s.ValueType | str, *, digits: int | None = None) -> str:
    """Format a value with its unit in UK style: '3.4%', '£21,345', '412.5 per 100,000', 'Suppressed' never here."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no data"
    vt = s.ValueType(value_type)
    unit_l = unit.lower()
    if vt == s.ValueType.PROPORTION or unit.strip() in {"%", "% "} or unit_l.startswith("% of"):
        return f"{value:,.{1 if digits is None else digits}f}%"
    if unit.startswith("£"):
        sign = "-" if value < 0 else ""
        if "million" in unit_l:
            return f"{sign}£{abs(value):,.{1 if digits is None else digits}f} million"
        decimals = 0 if digits is None and abs(value) >= 100 else (2 if digits is None else digits)
        suffix = unit[1:].strip()
        return f"{sign}£{abs(value):,.{decimals}f}" + (f" {suffix}" if suffix else "")
    if digits is None:
        digits = 0 if abs(value) >= 1000 else (1 if abs(value) >= 10 else 2)
    text = f"{value:,.{digits}f}"
    short_unit = _short_unit(unit)
    return f"{text} {short_unit}".strip()


def format_change(change: float, unit: str, value_type: s.ValueType | str) -> str:
    """A change as 'up 0.4 percentage points' / 'down £120' / 'no change'."""
    if change == 0 or math.isnan(change):
        return "no change"
    word = "up" if change > 0 else "down"
    vt = s.ValueType(value_type)
    if vt == s.ValueType.PROPORTION or unit.strip().startswith("%"):
        return f"{word} {abs(change):,.1f} percentage points"
    return f"{word} {format_value(abs(change), unit, value_type)}"


def direction_word(change: float, polarity: s.Polarity | str) -> str:
    """'better' / 'worse' / '' for a change, by the indicator's polarity."""
    polarity = s.Polarity(polarity)
    if change == 0 or math.isnan(change) or polarity == s.Polarity.NEITHER:
        return ""
    good = (change > 0) == (polarity == s.Polarity.HIGHER_IS_BETTER)
    return "better" if good else "worse"


def _short_unit(unit: str) -> str:
    replacements = {"Rate per 100,000 population": "per 100,000", "Rate per 1,000 dwelling stock": "per 1,000 homes",
                    "Rate per 1000 people": "per 1,000 people", "Rate per 1,000,000 population": "per million",
                    "Count per 10,000 people": "per 10,000", "Count per 100,000 people": "per 100,000",
                    "mins": "min", "yrs": "years", "Score out of 10": "out of 10", "score": "",
                    "Average length of stay in nights": "nights",
                    "Number": "", "Value": ""}  # the last two: an upload's default units (insight.your_data)
    if unit.lower().startswith("number of "):  # '51,023 guest nights', not '51,023 Number of guest nights'
        return unit[len("number of "):]
    return replacements.get(unit, unit)
