"""Paths built from data: a safe folder name for any id, and a check that a path stays in its folder.

A store id comes from the client's export, so it can be anything: ``001``, ``SH-01``, ``上海01``
-- or ``../escape``, ``/etc/x``, ``a/b``, ``CON`` or an empty string.  A run folder is laid out
by id (``<run>/<store_id>/<notebook>.ipynb``), and nothing may ever be written outside it.

* :func:`safe_name` keeps a plain id as it is (letters of any script, digits, ``-``, ``_``, ``.``
  inside, at most 64 characters, not a name the file system reserves) and turns any other into
  a slug plus a short hash of the original (``../escape`` -> ``escape-…``), so two different
  ids never share a folder.
* :func:`folder_names` gives every id of a run its folder, also apart on file systems that do not
  tell upper from lower case (``SH-01`` and ``sh-01``).
* :func:`inside` resolves a path (symbolic links included) and raises unless it is in ``root``.

Examples
--------
>>> safe_name("001"), safe_name("SH-01"), safe_name("上海01")
('001', 'SH-01', '上海01')
>>> safe_name("../escape").startswith("escape-"), "/" in safe_name("/etc/x"), safe_name("a/b") != safe_name("a-b")
(True, False, True)
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from kit.core.errors import ParameterError

__all__ = ["RESERVED_NAMES", "folder_names", "inside", "is_safe_name", "safe_name"]

#: Names never used for an id as it is: the run folder's own entries (the chain's reports, the
#: playbook, the index, the manifest, the workbook) and the device names Windows reserves.
RESERVED_NAMES = frozenset(
    {"chain", "playbook", "index.html", "manifest.json", "kpis.xlsx"}
    | {"con", "prn", "aux", "nul"}
    | {f"{dev}{i}" for dev in ("com", "lpt") for i in range(10)}
)

_MAX = 64
_PUNCT = "-_."


def _plain(ch: str) -> bool:
    """A letter or a digit of any script (not a combining mark, a symbol or a control character)."""
    return unicodedata.category(ch)[0] in "LN"


def is_safe_name(name: str) -> bool:
    """True when ``name`` can be a folder name as it is, on every common file system.

    Examples
    --------
    >>> [is_safe_name(n) for n in ("001", "上海01", "a.b_c-d", "..", ".x", "a/b", "a b", "chain", "x" * 65)]
    [True, True, True, False, False, False, False, False, False]
    """
    if not name or len(name) > _MAX or name != unicodedata.normalize("NFC", name):
        return False
    if not (_plain(name[0]) and _plain(name[-1])):
        return False
    if not all(_plain(ch) or ch in _PUNCT for ch in name):
        return False
    return name.casefold() not in RESERVED_NAMES and name.split(".")[0].casefold() not in RESERVED_NAMES


def _digest(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def safe_name(name: str) -> str:
    """``name`` itself when :func:`is_safe_name`, else an allow-listed slug plus a hash of ``name``.

    The slug keeps the letters, digits, ``-`` and ``_`` of ``name`` (at most 40); the hash (10
    hex digits of its SHA-256) keeps two ids apart that give the same slug.

    Examples
    --------
    >>> safe_name("../escape") == safe_name("../escape") != safe_name("./escape")
    True
    >>> safe_name("").startswith("id-"), safe_name("CON").startswith("CON-")
    (True, True)
    """
    name = str(name)
    if is_safe_name(name):
        return name
    slug = "".join(ch if _plain(ch) or ch in "-_" else "-" for ch in unicodedata.normalize("NFKC", name))
    slug = re.sub(r"[-_]*-[-_]*", "-", slug).strip("-_")[:40].strip("-_")
    return f"{slug or 'id'}-{_digest(name)}"


def folder_names(ids: Iterable[str]) -> dict[str, str]:
    """A folder per id: :func:`safe_name`, made unique also where case is not told apart.

    Ids whose folders would differ only by case get the hashed form, so each keeps a folder
    of its own on macOS and Windows too.

    Examples
    --------
    >>> folder_names(["001", "SH-01", "sh-01", "a/b"])["001"]
    '001'
    >>> names = folder_names(["SH-01", "sh-01"]); names["SH-01"] != names["sh-01"]
    True
    """
    ids = list(dict.fromkeys(str(i) for i in ids))
    names = {i: safe_name(i) for i in ids}
    seen: dict[str, list[str]] = {}
    for i, name in names.items():
        seen.setdefault(name.casefold(), []).append(i)
    for same in seen.values():
        if len(same) > 1:
            for i in same:
                base = names[i] if is_safe_name(i) else names[i].rsplit("-", 1)[0]
                names[i] = f"{base[:40]}-{_digest(i)}"
    return names


def inside(root: str | Path, path: str | Path) -> Path:
    """``path`` resolved (symbolic links followed); a :class:`ParameterError` unless it lies in ``root``.

    Call it before writing a file whose path was built from data.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> inside(root, root / "001" / "a.ipynb") == (root / "001" / "a.ipynb").resolve()
    True
    >>> try:
    ...     inside(root, root / ".." / "x")
    ... except ParameterError as err:
    ...     print(err.key)
    batch.error.outside_run_folder
    """
    base = Path(root).resolve()
    target = Path(path)
    target = (target if target.is_absolute() else base / target).resolve()
    if target != base and not target.is_relative_to(base):
        raise ParameterError.from_key("batch.error.outside_run_folder", column="out", path=str(path), root=str(base))
    return target
