"""Shared fixtures: a small deterministic chain, and the full sample chain for notebook runs."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "data" / "sample"


def pytest_sessionstart(session: pytest.Session) -> None:
    """nbval runs the notebooks with their default parameters, which read ``data/sample``."""
    if not (SAMPLE_DIR / "complaints.csv").exists():
        from kit.intake.sample import SAMPLE_MONTHS, SAMPLE_START, write_chain

        write_chain(SAMPLE_DIR, stores=12, months=SAMPLE_MONTHS, seed=7, start=SAMPLE_START)


@pytest.fixture(scope="session")
def small_chain_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three stores, three months: quick to load, enough to see differences."""
    from kit.intake.sample import write_chain

    folder = tmp_path_factory.mktemp("chain")
    write_chain(folder, stores=3, months=3, seed=11)
    return folder


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
