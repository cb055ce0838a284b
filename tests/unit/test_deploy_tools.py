"""The deployment tools' own logic: the synthetic national dataset and the load driver's figures."""

from __future__ import annotations

import pytest

from deploy.synthetic import LABEL, write_synthetic_national
from deploy.ws_load import Outcome, percentile, summarise
from insight import schema as s
from insight.store.load_postgres import read_built_dataset


def test_the_synthetic_national_dataset_is_valid_labelled_and_scales_with_the_council_count(dataset, tmp_path):
    built = read_built_dataset(write_synthetic_national(tmp_path / "n3", 3))  # the project's own validation
    areas = built.frames["areas"]
    local = dataset.areas[~dataset.areas[s.LEVEL].isin(["england", "region"])]
    assert len(areas) == 2 + 3 * len(local)
    assert areas[s.AREA_CODE].is_unique
    synthetic = areas[areas[s.AREA_CODE].str.startswith("X")]
    assert len(synthetic) == 3 * len(local) and synthetic[s.AREA_NAME].str.contains("(synthetic council",
                                                                                      regex=False).all()
    shared = dataset.observations[s.AREA_CODE].isin(["E92000001", "E12000006"]).sum()
    assert len(built.frames["observations"]) == shared + 3 * (len(dataset.observations) - shared)
    assert "SYNTHETIC" in (tmp_path / "n3" / "README.txt").read_text() and "not real" in LABEL


@pytest.mark.parametrize(("q", "expected"), [(0.5, 5.0), (0.95, 10.0), (0.9, 9.0), (0.0, 1.0)])
def test_percentiles_use_the_nearest_rank(q, expected):
    assert percentile([float(v) for v in range(10, 0, -1)], q) == expected


def test_the_load_summary_counts_every_error_and_every_replica():
    outcomes = [Outcome("app1", [0.1, 0.2]), Outcome("app2", [0.3], ["timeout"])]
    errors, text = summarise(outcomes, 2.0)
    assert errors == 1
    assert "replicas: app1 1, app2 1" in text and "Reruns finished: 3; errors: 1" in text and "timeout" in text
