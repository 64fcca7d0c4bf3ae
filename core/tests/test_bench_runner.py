"""`make bench` runs every benchmark in bench/ (bench/run.py), `make bench QUICK=1` at small sizes."""

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOT_BENCHMARKS = {"__init__", "harness", "settings_bench", "urls_bench", "settings_transfer", "urls_transfer", "run"}


def _runner():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("quick", [True, False])
def test_the_runner_runs_every_benchmark_in_bench(quick, tmp_path):
    scripts = {p.stem for p in (ROOT / "bench").glob("*.py")} - NOT_BENCHMARKS
    plan = _runner().benchmarks(str(tmp_path), quick, "")
    assert {name for name, _arguments in plan} == scripts
    for name, arguments in plan:
        assert (ROOT / "bench" / f"{name}.py").exists()
        if quick:
            assert arguments, f"{name} has no small size in the quick run"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_bench_quick_calls_the_runner_with_quick():
    env = {"PATH": "/usr/bin:/bin"}
    quick = subprocess.run(["make", "-n", "bench", "QUICK=1"], cwd=ROOT, capture_output=True, text=True, env=env,
                           timeout=60).stdout
    full = subprocess.run(["make", "-n", "bench"], cwd=ROOT, capture_output=True, text=True, env=env,
                          timeout=60).stdout
    assert "bench/run.py --quick" in quick
    assert "bench/run.py" in full and "--quick" not in full
