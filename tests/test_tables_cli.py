"""chengguan-data: the summary command, help, and the console script."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from chengguan.curation.cli import main
from tables_synthetic import make_data_dir


def test_summary_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = make_data_dir(tmp_path)
    assert main(["--data-dir", str(data), "summary"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "indicators: 9 in 3 domains",
        "observations: 12",
        "  cgzf_2022_summary: 7 actual, 0 target",
        "  supp_2019_first_day: 5 actual, 0 target",
        "exclusions: 1",
        "  date: 1",
        "recognitions: 1",
        "  hosted_meeting: 1",
    ]


def test_a_command_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([])
    assert exit_.value.code == 2
    assert "the following arguments are required: COMMAND" in capsys.readouterr().err


def test_the_console_script_runs() -> None:
    script = Path(sys.executable).with_name("chengguan-data")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=True)
    assert "validate" in result.stdout and "coverage" in result.stdout
