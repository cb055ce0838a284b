"""Which version of the processed dataset a figure was made from: a content hash of the files plus a date.

``data_version(data_dir)`` hashes every dataset file under the folder (Parquet, CSV, GeoJSON, JSON; documentation
such as README.md, and the build stamp, are left out, since they change no figure) in sorted path order, so the
same files always give the same digest wherever they are checked out. The **date** is the day the build wrote
the data, from the folder's build stamp (``build.json``, written by ``python -m insight.build``): the same in every
clone and deployment, so "data as of …" can be repeated. A folder without a stamp (one a person put together)
falls back to the newest modification time of its files. Only the digest decides whether two versions are the
same.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from insight.errors import DataValidationError, Problem

DATA_SUFFIXES = (".parquet", ".csv", ".geojson", ".json")
BUILD_FILE = "build.json"  # {"built": "YYYY-MM-DD"}: the day the build wrote the folder
SHORT_LENGTH = 12
_DIGEST_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class DataVersion:
    """A dataset version: the SHA-256 digest of its files and the date they were written."""

    digest: str
    built: date

    def __post_init__(self) -> None:
        if not isinstance(self.digest, str) or not _DIGEST_RE.match(self.digest):
            raise ValueError("A data version digest is 64 lowercase hexadecimal characters.")
        if not isinstance(self.built, date):
            raise ValueError("A data version's build date must be a date.")

    @property
    def short(self) -> str:
        """The first 12 characters of the digest, as people see it."""
        return self.digest[:SHORT_LENGTH]

    @property
    def stamp(self) -> str:
        """'Data as of 25 November 2026 (version 3f2a9c1d2e4b)'."""
        return f"Data as of {self.built.day} {self.built:%B %Y} (version {self.short})"

    def same_data(self, other: DataVersion) -> bool:
        """True when both versions hold the same files (the dates may differ)."""
        return self.digest == other.digest


def dataset_files(data_dir: Path) -> list[Path]:
    """The dataset files of a folder laid out like data/, in a stable order (relative POSIX paths)."""
    root = Path(data_dir)
    return sorted((p for p in root.rglob("*") if p.is_file() and p.suffix in DATA_SUFFIXES
                   and p.relative_to(root).as_posix() != BUILD_FILE),
                  key=lambda p: p.relative_to(root).as_posix())


def write_build_stamp(data_dir: Path, built: date) -> Path:
    """Write the folder's build stamp (the day its data was built)."""
    path = Path(data_dir) / BUILD_FILE
    path.write_text(json.dumps({"built": built.isoformat()}) + "\n", encoding="utf-8")
    return path


def build_date(data_dir: Path) -> date | None:
    """The day in the folder's build stamp; None when there is none (DataValidationError when it is unreadable)."""
    path = Path(data_dir) / BUILD_FILE
    if not path.is_file():
        return None
    try:
        return date.fromisoformat(str(json.loads(path.read_text(encoding="utf-8"))["built"]))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise DataValidationError([Problem(f'the build stamp is not {{"built": "YYYY-MM-DD"}} ({error}); '
                                           "rebuild the data with `make data`", str(path))]) from error


def data_version(data_dir: Path) -> DataVersion:
    """The version of the dataset in ``data_dir`` (DataValidationError when the folder holds no data files)."""
    root = Path(data_dir)
    files = dataset_files(root)
    if not files:
        raise DataValidationError([Problem("no dataset files (Parquet, CSV, GeoJSON) found; run `make data`",
                                           str(root))])
    digest = hashlib.sha256()
    newest = 0.0
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
        newest = max(newest, path.stat().st_mtime)
    built = build_date(root) or datetime.fromtimestamp(newest, tz=UTC).date()
    return DataVersion(digest.hexdigest(), built)
