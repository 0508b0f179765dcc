"""Writing files for people: atomically, in encodings Excel and editors open correctly.

Every file the kit writes goes through these helpers: the content is written to a temporary
file in the same folder, flushed to disk and then moved over the target with :func:`os.replace`,
so a reader never sees a half-written file, even if the process dies mid-write.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> _ = write_text(p, "你好")
>>> p.read_text(encoding="utf-8")
'你好'
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "REJECTS_SUFFIX",
    "data_files",
    "sha256_file",
    "write_bytes",
    "write_csv",
    "write_json",
    "write_text",
]


def _mode_for(path: Path) -> int:
    """The permissions a plain ``open(path, "w")`` would give: the old file's, else 0666 minus the umask.

    ``tempfile.mkstemp`` creates files readable by their owner only; a workspace shared on a
    server must stay readable by the team, so the replaced file keeps the usual permissions.
    """
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temp file in the same folder + ``os.replace``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` atomically in ``encoding`` (UTF-8 by default)."""
    return write_bytes(path, text.encode(encoding))


def write_json(path: str | Path, obj: Any) -> Path:
    """Write ``obj`` as indented UTF-8 JSON with Chinese kept readable."""
    return write_text(path, json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def write_csv(frame: pd.DataFrame, path: str | Path, **to_csv: Any) -> Path:
    """Write ``frame`` as CSV in UTF-8 with a byte-order mark, so Excel shows Chinese correctly."""
    text = frame.to_csv(index=False, lineterminator="\n", **to_csv)
    return write_text(path, text, encoding="utf-8-sig")


#: Files the loaders write next to the inputs; they are outputs, not inputs.
REJECTS_SUFFIX = ".rejects.csv"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_files(folder: str | Path) -> list[tuple[str, int, int]]:
    """``(relative path, size, mtime_ns)`` of every input file under ``folder``, sorted.

    Hidden files and folders and the loaders' ``*.rejects.csv`` files are skipped.
    """
    root = Path(folder)
    if not root.is_dir():
        return []
    rows = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or path.name.endswith(REJECTS_SUFFIX) or not path.is_file():
            continue
        stat = path.stat()
        rows.append((rel.as_posix(), stat.st_size, stat.st_mtime_ns))
    return rows
