"""The documentation tells the truth: every Python block of the README runs, its scenario-file
example loads, and the tour (docs/tour.py) runs from start to end."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest
import yaml

from hyperflight.mission.scenario import parse_scenario

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
TOUR = ROOT / "docs" / "tour.py"
NOT_RUN = "# not run"


def _blocks(language: str, text: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.S | re.M)


def _python_blocks() -> list[str]:
    return _blocks("python", README.read_text(encoding="utf-8"))


@pytest.fixture
def plain_matplotlib(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Run in an empty folder with the non-interactive backend (no window, no files left)."""
    import matplotlib

    monkeypatch.setenv("MPLBACKEND", "Agg")
    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_readme_has_python_blocks() -> None:
    assert len(_python_blocks()) >= 3


@pytest.mark.parametrize("index", range(len(_python_blocks())))
def test_readme_python_block_runs(index: int, plain_matplotlib: Path) -> None:
    code = _python_blocks()[index]
    if NOT_RUN in code:
        pytest.skip(f"README block {index} is marked '{NOT_RUN}'")
    exec(compile(code, f"README.md python block {index}", "exec"), {"__name__": "__readme__"})


def test_readme_scenario_file_example_loads() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Scenario files", 1)[1]
    example = _blocks("yaml", section)[0]
    scenario = parse_scenario(yaml.safe_load(example), origin="README.md scenario example")
    assert scenario.name == "my-test"


def test_tour_runs(plain_matplotlib: Path) -> None:
    namespace = runpy.run_path(str(TOUR), run_name="__main__")
    assert type(namespace["fig"]).__name__ == "Figure"
    assert len(repr(namespace["traj"])) < 400
    assert len(namespace["batch"]) == 3
    assert list(plain_matplotlib.iterdir()) == []  # the tour leaves no files behind
