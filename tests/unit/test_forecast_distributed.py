"""Precompute on Dask distributed gives exactly what the single-process precompute gives."""

from __future__ import annotations

import pandas as pd
import pytest

from insight import schema as s
from insight.forecast.distributed import close_local, local_client, precompute_on_dask, warm_up
from insight.forecast.precompute import precompute, series_tasks
from insight.forecast.project import default_context
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def tasks(dataset, request):
    """A fixed mix of annual and monthly series (every 40th of the precompute's series, illustrative included)."""
    from insight.loaders import ILLUSTRATIVE_FILE, load_observations
    from tests.conftest import ROOT

    observations = pd.concat([dataset.observations, load_observations(ROOT / "data", file=ILLUSTRATIVE_FILE)],
                             ignore_index=True)
    every = series_tasks(observations, dataset.indicators, include_illustrative=True)
    chosen = every[::40]
    assert {t.frequency for t in chosen} == {s.Frequency.ANNUAL, s.Frequency.MONTHLY}
    return chosen


@pytest.fixture(scope="module")
def client():
    dask_client = local_client(2)
    warm_up(dask_client)
    yield dask_client
    close_local(dask_client)


def test_projections_on_a_dask_cluster_equal_the_single_process_run(tasks, client):
    context = default_context(ROOT / "data")  # the stored pool and evaluation, as make forecasts leaves them
    single = precompute(tasks, context=context, jobs=1, progress=False)
    distributed = precompute_on_dask(tasks, client, context=context)
    assert len(client.scheduler_info()["workers"]) == 2
    pd.testing.assert_frame_equal(distributed[0], single[0])
    pd.testing.assert_frame_equal(distributed[1], single[1])
    assert len(distributed[1]) == len(tasks) and not distributed[0].empty

