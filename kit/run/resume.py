"""Fingerprints of batch jobs, so ``kit run --resume`` re-runs only what failed or changed.

A job's fingerprint is a SHA-256 over everything its output depends on:

* the notebook file's content,
* its parameters (typed values, sorted by name),
* the input data files under ``data_dir`` -- relative path, size and modification time (hashing
  gigabytes of exports on every run would cost more than it saves); the ``*.rejects.csv`` files
  the loaders write next to the inputs are left out,
* the workspace's YAML files (content hash; they are small, and the ``.history/`` folder and the
  standards cards a workshop notebook writes are left out),
* the kit itself: its version and a hash of its source files, so a fixed metric re-runs the reports.

The run's ``manifest.json`` stores each job's fingerprint.  A job is *up to date* when the
previous manifest holds an ``ok`` entry for the same notebook and store with the same
fingerprint and its ``.ipynb`` and ``.html`` files still exist.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "complaints.csv").write_text("a\\n1\\n")
>>> _ = (folder / "complaints.rejects.csv").write_text("x\\n")
>>> [name for name, size, mtime in data_files(folder)]
['complaints.csv']
>>> fingerprint_of({"notebook": "ab", "parameters": {"lang": "en"}}) == fingerprint_of({"parameters": {"lang": "en"}, "notebook": "ab"})
True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from kit.core.files import data_files, sha256_file

__all__ = [
    "Fingerprinter",
    "fingerprint_of",
    "is_up_to_date",
    "kit_signature",
    "previous_entries",
    "workspace_files",
]


def workspace_files(folder: str | Path) -> list[tuple[str, str]]:
    """``(name, sha256)`` of the workspace's top-level YAML files (none for ``""``)."""
    if not folder:
        return []
    root = Path(folder).expanduser()
    if not root.is_dir():
        return []
    return [(p.name, sha256_file(p)) for p in sorted(root.glob("*.y*ml")) if p.is_file()]


@lru_cache(maxsize=1)
def kit_signature() -> str:
    """The kit's version plus a hash of its source and locale files (computed once per process)."""
    import kit

    root = Path(kit.__file__).resolve().parent
    digest = hashlib.sha256(kit.__version__.encode())
    for path in sorted([*root.rglob("*.py"), *root.rglob("locale/*.yaml")]):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return f"{kit.__version__}+{digest.hexdigest()[:16]}"


def fingerprint_of(parts: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of ``parts`` serialised as sorted JSON."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Fingerprinter:
    """Computes job fingerprints, reading each data folder and workspace once per run.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> nb = pathlib.Path(tempfile.mkdtemp()) / "n.ipynb"
    >>> _ = nb.write_text("{}")
    >>> fp = Fingerprinter()
    >>> a = fp(nb, {"data_dir": str(nb.parent), "lang": "en"})
    >>> a == fp(nb, {"data_dir": str(nb.parent), "lang": "en"}), a == fp(nb, {"data_dir": str(nb.parent), "lang": "zh"})
    (True, False)
    """

    def __init__(self) -> None:
        self._notebooks: dict[Path, str] = {}
        self._data: dict[str, list] = {}
        self._workspaces: dict[str, list] = {}

    def __call__(self, notebook: Path, parameters: Mapping[str, Any]) -> str:
        notebook = Path(notebook)
        if notebook not in self._notebooks:
            self._notebooks[notebook] = sha256_file(notebook)
        data_dir = str(parameters.get("data_dir", ""))
        if data_dir not in self._data:
            self._data[data_dir] = data_files(data_dir) if data_dir else []
        workspace = str(parameters.get("workspace", "") or "")
        if workspace not in self._workspaces:
            self._workspaces[workspace] = workspace_files(workspace)
        return fingerprint_of(
            {
                "notebook": self._notebooks[notebook],
                "parameters": dict(parameters),
                "data": self._data[data_dir],
                "workspace": self._workspaces[workspace],
                "kit": kit_signature(),
            }
        )


def previous_entries(manifest_path: str | Path) -> dict[tuple[str, str], dict[str, Any]]:
    """The jobs of an earlier ``manifest.json`` keyed by ``(notebook, store_id)`` (empty if none)."""
    path = Path(manifest_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {(e.get("notebook"), e.get("store_id")): e for e in data.get("jobs", []) if isinstance(e, dict)}


def is_up_to_date(entry: Mapping[str, Any] | None, fingerprint: str, out_dir: str | Path) -> bool:
    """True when ``entry`` (from the previous manifest) succeeded with this fingerprint and its files exist."""
    if not entry or entry.get("status") != "ok" or entry.get("fingerprint") != fingerprint:
        return False
    files: Iterable[Any] = (entry.get("output"), entry.get("html"))
    return all(f and (Path(out_dir) / f).is_file() for f in files)
