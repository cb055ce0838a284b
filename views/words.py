"""The council's words for its own places, for any sentence a view writes (from its configuration and data)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from insight import schema as s
from insight.config import CouncilConfig


@dataclass(frozen=True)
class AreaWords:
    """'Essex', 'Essex County Council', 'division', 'county electoral division', 70, approximate boundaries."""

    council: str
    council_full: str
    word: str
    title: str
    count: int
    approximate: bool

    @classmethod
    def of(cls, config: CouncilConfig, count: int) -> AreaWords:
        """The words of a council configuration with ``count`` small areas."""
        return cls(config.short_name, config.name, config.area_word, config.area_title, count,
                   config.divisions_approximate)

    @classmethod
    def of_areas(cls, config: CouncilConfig, areas: pd.DataFrame) -> AreaWords:
        """The words of a council configuration, counting its small areas in an areas table."""
        return cls.of(config, int((areas[s.LEVEL] == s.Level.DIVISION).sum()))

    @property
    def plural(self) -> str:
        """'divisions'."""
        return f"{self.word}s"

    @property
    def all_of_them(self) -> str:
        """'the 70 divisions'."""
        return f"the {self.count} {self.plural}"

    @property
    def boundary_note(self) -> str:
        """' (approximate boundaries)' when the boundaries are approximate, else ''."""
        return " (approximate boundaries)" if self.approximate else ""
