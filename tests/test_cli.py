import subprocess
import sys
from pathlib import Path

import pytest

from kit.cli import main


@pytest.mark.parametrize("argv", [["--help"], ["sample", "--help"], ["run", "--help"]])
def test_help(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 0
    assert "usage: kit" in capsys.readouterr().out


def test_python_dash_m_kit_help():
    out = subprocess.run([sys.executable, "-m", "kit", "--help"], capture_output=True, text=True, check=True)
    assert "sample" in out.stdout and "run" in out.stdout


def test_sample_command_writes_files(tmp_path, capsys):
    assert main(["sample", "--stores", "2", "--months", "1", "--seed", "3", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "complaints.csv",
        "stores.csv",
        "surveys.csv",
        "transactions.csv",
    ]


def test_user_errors_print_one_message_and_exit_2(tmp_path, capsys):
    code = main(["run", "--data", str(tmp_path / "nowhere"), "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err and "nowhere" in err


def test_bad_period_and_unknown_store(small_chain_dir, capsys):
    assert main(["run", "--data", str(small_chain_dir), "--period", "2026-02-30..2026-03-01", "--lang", "en"]) == 2
    assert "period" in capsys.readouterr().err
    assert main(["run", "--data", str(small_chain_dir), "--stores", "001,099", "--lang", "zh"]) == 2
    assert "099" in capsys.readouterr().err


def test_workspace_new_creates_yaml_files_and_refuses_to_overwrite(tmp_path, capsys):
    assert main(["workspace", "new", "acme", "--root", str(tmp_path)]) == 0
    folder = tmp_path / "acme"
    assert (folder / "customer_types.yaml").exists() and (folder / "standards.yaml").exists()
    assert "个人消费者" in (folder / "customer_types.yaml").read_text(encoding="utf-8")
    assert main(["workspace", "new", "acme", "--root", str(tmp_path)]) == 2
    assert "acme" in capsys.readouterr().err


def test_run_contains_a_failing_store_exits_1_and_resume_finishes_it(small_chain_dir, tmp_path, capsys):
    import json
    import shutil

    faults = Path(__file__).parent / "fixtures" / "notebooks" / "faults.ipynb"
    data, out = tmp_path / "data", tmp_path / "run"
    shutil.copytree(small_chain_dir, data)
    (data / ".fail-002").write_text("", encoding="utf-8")
    argv = [
        "run",
        "--notebooks",
        str(faults),
        "--stores",
        "001,002",
        "--data",
        str(data),
        "--out",
        str(out),
        "--lang",
        "en",
        "--workers",
        "2",
        "--no-progress",
        "--no-deliverables",
        "--timeout",
        "60",
    ]
    assert main(argv) == 1
    printed = capsys.readouterr().out
    assert "1 / 2 ok" in printed and "FAILED 002 faults: cell 6: ValueError: bad input for store 002" in printed
    (data / ".fail-002").unlink()
    assert main([*argv, "--resume"]) == 0
    assert "2 / 2 ok (1 reused" in capsys.readouterr().out
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [j["reused"] for j in manifest["jobs"]] == [True, False]


def test_run_dask_needs_a_scheduler(small_chain_dir, capsys):
    assert main(["run", "--data", str(small_chain_dir), "--executor", "dask", "--lang", "en"]) == 2
    assert "--scheduler" in capsys.readouterr().err


def test_an_unwritable_output_is_one_message_not_a_traceback(tmp_path, capsys):
    from kit.cli import main

    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code = main(["sample", "--stores", "1", "--months", "1", "--out", str(blocker / "sub")])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err and str(blocker) in err


def test_notebook_settings_are_checked_before_anything_runs(small_chain_dir, tmp_path, capsys):
    base = [
        "run",
        "--data",
        str(small_chain_dir),
        "--period",
        "2026-01-01..2026-03-31",
        "--lang",
        "en",
        "--out",
        str(tmp_path / "run"),
        "--notebooks",
        "03,04",
    ]
    assert main([*base, "--set", "margin=lots"]) == 2
    assert "margin" in capsys.readouterr().err
    assert main([*base, "--set", "colour=blue"]) == 2
    assert "colour" in capsys.readouterr().err
    assert main([*base, "--set", "margin"]) == 2
    assert "KEY=VALUE" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize(
    "option, shown",
    [
        (["--timeout", "-5"], "--timeout"),
        (["--timeout", "0"], "--timeout"),
        (["--workers", "0"], "--workers"),
        (["--retries", "-1"], "--retries"),
        (["--notebook", "99"], "notebook 99 not found"),
        (["--notebooks", "03,99"], "notebook 99 not found"),
        (["--stores", "region=火星"], "火星"),
        (["--stores", "001,火星"], "火星"),
    ],
)
def test_impossible_options_exit_2_before_anything_runs(option, shown, small_chain_dir, tmp_path, capsys):
    out = tmp_path / "run"
    argv = ["run", "--data", str(small_chain_dir), "--out", str(out), "--lang", "en", "--no-progress", *option]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and shown in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


@pytest.mark.slow
def test_a_workbook_that_cannot_be_written_fails_the_run(small_chain_dir, tmp_path, capsys):
    import json

    faults = Path(__file__).parent / "fixtures" / "notebooks" / "faults.ipynb"
    out = tmp_path / "run"
    (out / "kpis.xlsx").mkdir(parents=True)  # the workbook's place is taken: writing it fails
    argv = ["run", "--notebooks", str(faults), "--stores", "001", "--data", str(small_chain_dir), "--out", str(out)]
    argv += ["--period", "2026-01-01..2026-03-31", "--lang", "en", "--no-pdf", "--no-progress", "--workers", "1"]
    assert main(argv) == 1
    printed = capsys.readouterr().out
    assert "1 / 1 reports ok" in printed and "deliverables FAILED" in printed and "excel" in printed
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "failed" and manifest["deliverables"]["status"] == "failed"
    assert manifest["deliverables"]["errors"][0]["step"] == "excel"
    assert 'class="failed"' in (out / "index.html").read_text(encoding="utf-8")
