"""Strict parsers for the values in a shared link (URL query parameters): one per type, never an exception.

Every parser returns a ``Parsed`` value: what to use, and — when something in the link could not be used —
a message that says which parameter, what was wrong and what is shown instead. Values from the link are
quoted through ``insight.text.plain`` (a code span), so a crafted value renders as literal text in a Markdown
message.

Codes and ids are matched case-insensitively, and so are the human labels a link may carry instead
(``district=Tendring`` as well as ``district=E07000076``); lists come as repeated parameters or comma-separated.
Whole numbers are ASCII digits only (``str.isdigit`` accepts "²", which ``int`` refuses).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from insight.text import plain

T = TypeVar("T")
MAX_VALUE_LENGTH = 2000  # longer raw values are cut before parsing
_WHOLE = re.compile(r"[+]?[0-9]{1,9}")
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


@dataclass(frozen=True)
class Parsed(Generic[T]):
    """A value read from the link, and what was wrong with the link's value (None when nothing was)."""

    value: T
    problem: str | None = None


def raw_values(raw: str | Sequence[str] | None) -> list[str]:
    """A parameter's raw values (repeated or comma-separated), stripped, empty ones dropped, each cut to
    MAX_VALUE_LENGTH."""
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    return [part.strip()[:MAX_VALUE_LENGTH] for item in items for part in str(item).split(",") if part.strip()]


def _lookup(choices: Mapping[str, str]) -> dict[str, str]:
    """Case-folded id and label -> id."""
    found: dict[str, str] = {}
    for key, label in choices.items():
        found.setdefault(str(label).casefold(), key)
    for key in choices:
        found[str(key).casefold()] = key
    return found


def _quoted(values: Sequence[str], most: int = 3) -> str:
    shown = ", ".join(plain(v, 40) for v in values[:most])
    return shown + (f" and {len(values) - most} more" if len(values) > most else "")


def parse_whole(raw: str | None, *, low: int, high: int, default: int, label: str) -> Parsed[int]:
    """A whole number from low to high; anything else -> default, with a message."""
    text = (raw or "").strip()
    if not text:
        return Parsed(default)
    if _WHOLE.fullmatch(text) and low <= int(text) <= high:
        return Parsed(int(text))
    return Parsed(default, f"The link's {label} {plain(text, 20)} is not a whole number from {low} to "
                           f"{high}, so {default} is used.")


def parse_flag(raw: str | None, *, default: bool, label: str) -> Parsed[bool]:
    """On/off from 1/0, true/false, yes/no, on/off (any case); anything else -> default, with a message."""
    if raw is None:
        return Parsed(default)
    text = raw.strip().casefold()
    if text in _TRUE:
        return Parsed(True)
    if text in _FALSE:
        return Parsed(False)
    return Parsed(default, f"The link's {label} {plain(raw, 20)} is not on or off (1 or 0), so it is "
                           f"{'on' if default else 'off'}.")


def parse_choice(raw: str | Sequence[str] | None, choices: Mapping[str, str], *, default: str,
                 label: str) -> Parsed[str]:
    """One of ``choices`` (id -> label), given as its id or its label; anything else -> default, with a
    message naming the default's label."""
    values = raw_values(raw)
    if not values:
        return Parsed(default)
    found = _lookup(choices).get(values[0].casefold())
    if found is not None and len(values) == 1:
        return Parsed(found)
    shown = choices.get(default, default)
    if found is not None:
        return Parsed(found, f"The link gives more than one {label}; only '{choices[found]}' is used.")
    return Parsed(default, f"The link's {label} {plain(values[0], 40)} is not one of the {len(choices)} "
                           f"available here, so '{shown}' is shown.")


def parse_many(raw: str | Sequence[str] | None, choices: Mapping[str, str], *, label: str,
               most: int | None = None) -> Parsed[tuple[str, ...]]:
    """Several of ``choices`` (ids or labels, repeated or comma-separated), duplicates dropped, in link order;
    unknown values are left out with a message; at most ``most`` are kept."""
    lookup = _lookup(choices)
    chosen: list[str] = []
    unknown: list[str] = []
    for value in raw_values(raw):
        found = lookup.get(value.casefold())
        if found is None:
            unknown.append(value)
        elif found not in chosen:
            chosen.append(found)
    problems = []
    if unknown:
        problems.append(f"The link names {len(unknown)} {label} value(s) that are not available here, so they "
                        f"are left out: {_quoted(unknown)}.")
    if most is not None and len(chosen) > most:
        problems.append(f"The link names {len(chosen)} {label} values; only the first {most} are used.")
        chosen = chosen[:most]
    return Parsed(tuple(chosen), " ".join(problems) or None)


def parse_weights(raw: str | None, candidates: Mapping[str, str], *, most: int,
                  default_weight: int) -> Parsed[tuple[tuple[str, int], ...]]:
    """Index weights as ``id:weight`` pairs (``imd25_income:5,census21_disabled:3``); an id without a weight
    takes ``default_weight``; weights are whole numbers 0..most. Unknown or repeated ids are left out and bad
    weights replaced, each with a message."""
    lookup = _lookup(candidates)
    out: dict[str, int] = {}
    problems: list[str] = []
    unknown: list[str] = []
    for part in raw_values(raw):
        name, _, number = part.partition(":")
        found = lookup.get(name.strip().casefold())
        if found is None:
            unknown.append(name)
            continue
        if found in out:
            problems.append(f"The link gives a weight for '{candidates[found]}' twice; the first is used.")
            continue
        weight = parse_whole(number or str(default_weight), low=0, high=most, default=default_weight,
                             label=f"weight for '{candidates[found]}'")
        if weight.problem:
            problems.append(weight.problem)
        out[found] = weight.value
    if unknown:
        problems.insert(0, f"The link names {len(unknown)} measure(s) that cannot enter the index, so they are "
                           f"left out: {_quoted(unknown)}.")
    return Parsed(tuple(out.items()), " ".join(problems) or None)
