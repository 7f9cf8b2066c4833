"""Shared test fixtures: the published reference folder (../shared/reference)."""

from __future__ import annotations

from pathlib import Path

import pytest

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "shared" / "reference"


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    if not REFERENCE_DIR.is_dir():
        pytest.skip(f"published reference data not found at {REFERENCE_DIR}")
    return REFERENCE_DIR
