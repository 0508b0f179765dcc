"""Jobs built from data: store ids that would leave the run folder, or break the index, never do."""

import json
import os
from datetime import date
from pathlib import Path

import pytest

from kit.core.errors import ParameterError
from kit.run.batch import run_batch
from kit.run.jobs import plan_jobs

FAULTS = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks" / "faults.ipynb"
PERIOD = (date(2026, 1, 1), date(2026, 3, 31))
PLAIN = ["001", "SH-01", "上海01"]
HOSTILE = ["../escape", "/etc/x", "a/b", "..", "chain", "<b onmouseover=alert(1)>x</b>"]


def _files(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_hostile_store_ids_never_put_a_file_outside_the_run_folder(tmp_path):
    data, out = tmp_path / "data", tmp_path / "base" / "run"
    data.mkdir()
    out.parent.mkdir()
    (tmp_path / "base" / "x").mkdir()  # where "../x" would land
    before = _files(tmp_path)
    jobs = plan_jobs(str(FAULTS), PLAIN + HOSTILE, period=PERIOD, data_dir=data, lang="en", out_dir=out)
    assert [j.folder for j in jobs][:3] == PLAIN  # plain ids keep their folder
    assert len({j.folder for j in jobs}) == len(jobs) and "chain" not in [j.folder for j in jobs[3:]]
    results = run_batch(jobs, workers=2, progress=False, lang="en")
    assert [r.status for r in results] == ["ok"] * len(jobs), [r.error for r in results]

    after = _files(tmp_path)
    new = sorted(set(after) - set(before))
    assert new and all(name.startswith(f"base{os.sep}run{os.sep}") for name in new), new
    assert {k: v for k, v in after.items() if k in before} == before  # nothing outside was touched
    assert not Path("/etc/x/faults.ipynb").exists() and not Path("/etc/faults.ipynb").exists()

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entries = manifest["jobs"]
    assert [e["store_id"] for e in entries] == PLAIN + HOSTILE  # the original ids are kept ...
    for entry, job in zip(entries, jobs):  # ... and each report is in the job's own folder
        assert entry["folder"] == job.folder and entry["output"] == f"{job.folder}/faults.ipynb"
        assert (out / entry["html"]).resolve().is_relative_to(out.resolve())
    # the notebook received the id as it is
    assert "store ../escape" in (out / entries[3]["output"]).read_text(encoding="utf-8")

    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<b onmouseover" not in index and "&lt;b onmouseover=alert(1)&gt;x&lt;/b&gt;" in index
    assert "../escape" in index and 'href="../' not in index and 'href="/' not in index


def test_a_symbolic_link_out_of_the_run_folder_is_refused_before_anything_is_written(tmp_path):
    out, elsewhere = tmp_path / "run", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "001").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(ParameterError, match="outside the run folder") as info:
        plan_jobs(str(FAULTS), ["001"], period=PERIOD, data_dir=tmp_path, lang="en", out_dir=out)
    assert info.value.exit_code == 2
    assert not any(elsewhere.iterdir())
