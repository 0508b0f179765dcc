"""Writing files for people: atomically, in encodings Excel and editors open correctly.

Every file the kit writes goes through these helpers: the content is written to a temporary
file in the same folder, flushed to disk and then moved over the target with :func:`os.replace`,
so a reader never sees a half-written file, even if the process dies mid-write.

**Data is text, never a formula.**  A cell of an export may come from a hostile file (a
customer's name typed as ``=HYPERLINK("http://…")``, a header ``@SUM(…)``): a spreadsheet
opening the CSV would run it.  Following the OWASP guidance on CSV injection
(https://owasp.org/www-community/attacks/CSV_Injection), :func:`write_csv` passes every table
through :func:`neutralise_cells`: a text cell (or header) starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading ``'`` so that Excel shows it as text.  Two
kinds of text are left alone because a spreadsheet cannot run them: plain numbers written as
text (``-5``, ``+3.5``, ``-1,280.00``, which Excel reads as the number they are) and phone
numbers, masked or not (``+86 139****5678``).  Numeric columns are never touched: ``-5`` stays
the number -5.  The Excel workbook writer calls the same :func:`neutralise_cells` /
:func:`neutralise`.

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
import re
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "FORMULA_STARTS",
    "REJECTS_SUFFIX",
    "data_files",
    "neutralise",
    "neutralise_cells",
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


#: First characters that make a spreadsheet read a cell as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_STARTS_RE = re.compile(r"[=+\-@\t\r]")
# Text a spreadsheet cannot run although it starts with + or -: numbers and phone numbers
# (digits, spaces, *, dots, commas, brackets, dashes, %), e.g. -5, -1,280.00, +86 139****5678.
_INERT_RE = re.compile(r"[+\-][0-9 *.,()%\-]*")


def neutralise(value: Any) -> Any:
    """``value`` made safe for a spreadsheet cell: text that would run as a formula gets a leading ``'``.

    Non-text values, numbers written as text and phone numbers are returned unchanged (see the
    module docstring).

    Examples
    --------
    >>> print(neutralise('=HYPERLINK("http://x")'), neutralise("@SUM(A1)"), neutralise("- 服务差"))
    '=HYPERLINK("http://x") '@SUM(A1) '- 服务差
    >>> neutralise("-5"), neutralise("+86 139****5678"), neutralise(-5), neutralise("张三")
    ('-5', '+86 139****5678', -5, '张三')
    """
    if isinstance(value, str) and value[:1] in FORMULA_STARTS and not _INERT_RE.fullmatch(value):
        return "'" + value
    return value


def _neutral_series(values: pd.Series) -> pd.Series:
    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = values.cat.categories
        if pd.api.types.is_object_dtype(cats.dtype) or pd.api.types.is_string_dtype(cats.dtype):
            new = [neutralise(c) for c in cats]  # one per category, not per row
            if new != list(cats):
                return values.cat.rename_categories(new)
        return values
    if not (pd.api.types.is_object_dtype(values.dtype) or pd.api.types.is_string_dtype(values.dtype)):
        return values  # numbers, dates, booleans: never formulas
    if pd.api.types.is_object_dtype(values.dtype) and pd.api.types.infer_dtype(values, skipna=True) != "string":
        text = values.map(type).eq(str)
        if not text.all():  # dates, numbers and text mixed in one column: only the text can be a formula
            fixed = values.copy()
            fixed[text] = _neutral_series(values[text].astype(str)) if text.any() else values[text]
            return fixed if not fixed.equals(values) else values
    starts = values.str.match(_STARTS_RE.pattern, na=False)
    if not starts.any():
        return values
    fix = starts & ~values.str.fullmatch(_INERT_RE.pattern, na=False)
    if not fix.any():
        return values
    out = values.astype(object).copy()
    out[fix] = "'" + values[fix].astype(str)
    return out


def neutralise_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and headers cannot run as spreadsheet formulas.

    Whole-column string tests (no per-row Python); columns with nothing to change are kept as
    they are, numeric columns are never touched.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"=cmd": ["=1+1", "-5", "+86 139****5678", "\\t1"], "n": [-5, 1, 2, 3]})
    >>> out = neutralise_cells(f)
    >>> list(out.columns), out["'=cmd"].tolist(), out["n"].tolist()
    (["'=cmd", 'n'], ["'=1+1", '-5', '+86 139****5678', "'\\t1"], [-5, 1, 2, 3])
    """
    out = frame.copy(deep=False)
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        new = _neutral_series(col)
        if new is not col:
            out.isetitem(i, new)
    out.columns = [neutralise(c) for c in out.columns]
    return out


def _no_bare_cr(frame: pd.DataFrame) -> pd.DataFrame:
    """Line breaks inside text cells as ``\\n``: the CSV writer quotes a cell holding ``\\n`` but not
    one holding only ``\\r``, which a reader would then take for the end of the row."""
    out = None
    for i in range(frame.shape[1]):
        col = frame.iloc[:, i]
        if not (pd.api.types.is_object_dtype(col.dtype) or pd.api.types.is_string_dtype(col.dtype)):
            continue
        has = col.str.contains("\r", regex=False, na=False)
        if has.any():
            out = frame.copy(deep=False) if out is None else out
            fixed = col.astype(object).copy()
            fixed[has] = col[has].str.replace("\r\n", "\n", regex=False).str.replace("\r", "\n", regex=False)
            out.isetitem(i, fixed)
    return frame if out is None else out


def write_csv(frame: pd.DataFrame, path: str | Path, *, formulas: bool = False, **to_csv: Any) -> Path:
    """Write ``frame`` as CSV in UTF-8 with a byte-order mark, so Excel shows Chinese correctly.

    Cells are passed through :func:`neutralise_cells` first, so no cell runs as a formula when
    the file is opened in a spreadsheet; ``formulas=True`` writes the values exactly as they are
    (for files read back only by programs).

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> p = write_csv(pd.DataFrame({"name": ["=1+1", "-5"]}), pathlib.Path(tempfile.mkdtemp()) / "a.csv")
    >>> p.read_text(encoding="utf-8-sig").splitlines()
    ['name', "'=1+1", '-5']
    """
    if not formulas:
        frame = neutralise_cells(frame)
    frame = _no_bare_cr(frame)
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
