"""The client workspace: a folder of plain YAML files that the workshop notebooks read and write.

Layout (``kit workspace new NAME`` creates it under the project's ``workspaces/`` folder)::

    workspaces/NAME/
        customer_types.yaml     customer types and their key needs   (kit.customers.CustomerTypes)
        standards.yaml          service standards, SLA, calendar ...  (kit.standards.ServiceStandards)
        goals.yaml              targets of the nine quality goals     (kit.goals.QualityGoals)
        standards_card.<lang>.html   the printable card, written by notebook 02 (kit.card)
        .history/               earlier versions, one timestamped copy per save

**Plain, diffable YAML.**  Keys keep the order of the models (never sorted), Chinese is written
as Chinese (``allow_unicode=True``), block style, one field per line, so a ``git diff`` shows
exactly what the workshop changed.  A short comment heads every file; comments added by hand
are not kept when the notebook saves the file again.

**Atomic saves that keep the previous version.**  Saving (1) checks the new content by reading
it back through the model, (2) copies the file on disk to
``.history/<name>.<YYYYmmddTHHMMSSffffff>.yaml`` and (3) writes the new content to a temporary
file in the same folder and moves it over the old one with :func:`os.replace`
(:func:`kit.files.write_text`).  A kernel that dies at any point leaves either the old or the
new file, never half of one, and the previous version is always in ``.history/``.  The newest
``KEEP_HISTORY`` copies per file are kept (20 by default).  We chose a history folder over a
single ``.bak`` file because a workshop saves many times and a ``.bak`` would only hold the
last-but-one state.  Saving unchanged content writes nothing.

**Validated on load.**  A file edited by hand is checked by the pydantic model; a mistake
raises :class:`kit.errors.WorkspaceError` naming the field *and* the line of the YAML file
(the line is found by composing the YAML into nodes, which carry their position, and walking
them along the location pydantic reports).

Examples
--------
>>> import tempfile
>>> ws = create_workspace(tempfile.mkdtemp(), "demo")
>>> sorted(p.name for p in ws.path.iterdir())
['customer_types.yaml', 'goals.yaml', 'standards.yaml']
>>> load_customer_types(ws).types[0].name_zh
'个人消费者'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from kit.customers import CustomerTypes, default_customer_types
from kit.errors import WorkspaceError
from kit.files import write_bytes, write_text
from kit.i18n import t
from kit.standards import ServiceStandards, default_service_standards

CUSTOMER_TYPES_FILE = "customer_types.yaml"
STANDARDS_FILE = "standards.yaml"
#: Written by :func:`create_workspace`; read and saved by :mod:`kit.goals` (same name as ``kit.goals.GOALS_FILE``).
GOALS_FILE = "goals.yaml"
HISTORY_DIR = ".history"
#: How many earlier versions of each file are kept in ``.history/``.
KEEP_HISTORY = 20
#: Review date of the default standards, counted from the day the workspace is created.
DEFAULT_REVIEW_AFTER = timedelta(days=182)

M = TypeVar("M", bound=BaseModel)
_BAD_NAME = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def _err(key: str, *, file: Path | str | None = None, row: int | None = None, column: str | None = None, **values: Any) -> WorkspaceError:
    hint_key = f"workspace.hint.{key}"
    try:
        hint_zh, hint_en = t(hint_key, "zh", **values), t(hint_key, "en", **values)
    except KeyError:
        hint_zh = hint_en = ""
    return WorkspaceError(
        t(f"workspace.error.{key}", "zh", **values),
        t(f"workspace.error.{key}", "en", **values),
        file=None if file is None else str(file),
        row=row,
        column=column,
        hint_zh=hint_zh,
        hint_en=hint_en,
    )


@dataclass(frozen=True)
class Workspace:
    """A client workspace folder (see the module docstring); create or open it with the functions below."""

    path: Path

    @property
    def name(self) -> str:
        """The workspace name (its folder name)."""
        return self.path.name

    @property
    def customer_types_path(self) -> Path:
        return self.path / CUSTOMER_TYPES_FILE

    @property
    def standards_path(self) -> Path:
        return self.path / STANDARDS_FILE

    @property
    def goals_path(self) -> Path:
        return self.path / GOALS_FILE

    def history(self, filename: str) -> list[Path]:
        """Earlier versions of ``filename`` in ``.history/``, oldest first."""
        return history(self, filename)


def _folder(workspace: Workspace | str | Path) -> Path:
    return workspace.path if isinstance(workspace, Workspace) else Path(workspace)


def check_name(name: str) -> str:
    """Return ``name`` if it can be a workspace folder name, else raise WorkspaceError.

    Any letters (Chinese included), digits, spaces, ``-`` and ``_``; no path separators or
    characters Windows forbids, no leading dot, at most 64 characters.
    """
    text = str(name).strip()
    if not text or len(text) > 64 or text.startswith(".") or _BAD_NAME.search(text) or text != str(name):
        raise _err("bad_name", column="name", name=name)
    return text


def create_workspace(root: str | Path, name: str, *, overwrite: bool = False, today: date | None = None) -> Workspace:
    """Create ``root/name`` with the default ``customer_types.yaml``, ``standards.yaml`` and ``goals.yaml``.

    ``goals.yaml`` holds the targets of the nine quality goals (:func:`kit.goals.default_goals`),
    so a new workspace is complete: every notebook finds all three files.

    Parameters
    ----------
    root : path
        The folder holding the workspaces (the project's ``workspaces/``); created if missing.
    name : str
        Workspace name (see :func:`check_name`).
    overwrite : bool, default False
        An existing workspace is refused unless True; then its files are reset to the defaults
        (their previous versions go to ``.history/``).
    today : date, optional
        Day the default standards' review dates count from (default: today), +182 days.

    Returns
    -------
    Workspace
    """
    folder = Path(root) / check_name(name)
    if folder.exists() and not overwrite:
        raise _err("exists", file=folder, name=name)
    if folder.exists() and not folder.is_dir():
        raise _err("not_a_folder", file=folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _err("cannot_write", file=folder, reason=str(exc)) from exc
    ws = Workspace(folder)
    review = (today or date.today()) + DEFAULT_REVIEW_AFTER
    save_customer_types(ws, default_customer_types())
    save_standards(ws, default_service_standards(review_date=review))
    from kit.goals import default_goals, save_goals  # kit.goals imports this module

    save_goals(ws, default_goals())
    return ws


def open_workspace(path: str | Path) -> Workspace:
    """Open an existing workspace folder (WorkspaceError if it does not exist)."""
    folder = Path(path)
    if not folder.exists():
        raise _err("missing", file=folder)
    if not folder.is_dir():
        raise _err("not_a_folder", file=folder)
    return Workspace(folder)


# --------------------------------------------------------------------------------------------
# YAML <-> models
# --------------------------------------------------------------------------------------------
class _Dumper(yaml.SafeDumper):
    """Safe dumper that writes short lists of plain values on one line (``weekdays: [1, 2, 3]``)."""


def _represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    flow = 0 < len(data) <= 12 and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def to_yaml(model: BaseModel, *, header: str = "") -> str:
    """The model as plain YAML: model key order (or the class's ``yaml_order``), Chinese kept readable."""
    data = model.model_dump(mode="json")
    order = getattr(type(model), "yaml_order", None)
    if order:
        data = {k: data[k] for k in order if k in data} | {k: v for k, v in data.items() if k not in order}
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=120, indent=2)
    lines = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return lines + body


def _node_line(root: yaml.Node, loc: tuple) -> tuple[int, str]:
    """Line (1-based) of the YAML node at pydantic location ``loc`` and the field path found."""
    node = root
    path = ""
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            match = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None)
            path += ("." if path else "") + part
            if match is None:  # a missing field: point at the object that lacks it
                break
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            path += f"[{part}]"
            node = node.value[part]
        else:
            break
    return node.start_mark.line + 1, path or "(top)"



def problem_text(error: dict[str, Any], lang: str) -> str:
    """One pydantic error in plain words in ``lang``, pydantic's own wording in brackets.

    Examples
    --------
    >>> problem_text({"type": "float_parsing", "msg": "Input should be a valid number"}, "zh")
    '应该是数字（Input should be a valid number）'
    """
    key = f"workspace.problem.{error.get('type', '')}"
    try:
        text = t(key, lang, **{k: v for k, v in (error.get("ctx") or {}).items() if isinstance(v, (str, int, float))})
    except (KeyError, IndexError):
        text = t("workspace.problem.other", lang)
    detail = str(error.get("msg", ""))
    return f"{text}（{detail}）" if lang == "zh" else f"{text} ({detail})"


def load_yaml_model(path: str | Path, model: type[M]) -> M:
    """Read ``path`` and validate it with ``model``; any problem raises WorkspaceError with field and line."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise _err("file_missing", file=path) from exc
    except UnicodeDecodeError as exc:
        raise _err("not_utf8", file=path) from exc
    except OSError as exc:
        raise _err("cannot_read", file=path, reason=str(exc)) from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = None if mark is None else mark.line + 1
        raise _err("syntax", file=path, row=line, problem=str(exc.problem or exc.context or "")) from exc
    if root is None or data is None:
        raise _err("empty", file=path)
    if not isinstance(data, dict):
        raise _err("not_mapping", file=path, row=1)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        line, field = _node_line(root, tuple(first["loc"]))
        more = {lang: t("workspace.error.more", lang, n=len(errors) - 1) if len(errors) > 1 else "" for lang in ("zh", "en")}
        raise WorkspaceError(
            t("workspace.error.invalid", "zh", file=path.name, line=line, field=field, problem=problem_text(first, "zh"), more=more["zh"]),
            t("workspace.error.invalid", "en", file=path.name, line=line, field=field, problem=problem_text(first, "en"), more=more["en"]),
            file=str(path),
            row=line,
            column=field,
            hint_zh=t("workspace.hint.invalid", "zh"),
            hint_en=t("workspace.hint.invalid", "en"),
        ) from exc


def history(workspace: Workspace | str | Path, filename: str) -> list[Path]:
    """Earlier versions of ``filename`` kept in the workspace's ``.history/``, oldest first."""
    folder = _folder(workspace) / HISTORY_DIR
    stem, suffix = Path(filename).stem, Path(filename).suffix
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{stem}.*{suffix}"))


def save_yaml_model(path: str | Path, model: BaseModel, *, header: str = "", keep: int = KEEP_HISTORY) -> Path:
    """Save ``model`` to ``path`` atomically, first copying the current file to ``.history/``.

    The new text is read back through the model before anything is written, so a file that
    could not be loaded again is never saved.  Unchanged content is not written again.
    """
    path = Path(path)
    text = to_yaml(model, header=header)
    type(model).model_validate(yaml.safe_load(text))
    new = text.encode("utf-8")
    try:
        old = path.read_bytes() if path.exists() else None
        if old == new:
            return path
        if old is not None:
            folder = path.parent / HISTORY_DIR
            stamp = datetime.now().strftime("%Y%m%dT%H%M%S%f")
            copy = folder / f"{path.stem}.{stamp}{path.suffix}"
            n = 1
            while copy.exists():
                copy = folder / f"{path.stem}.{stamp}-{n}{path.suffix}"
                n += 1
            write_bytes(copy, old)
            for stale in history(path.parent, path.name)[: max(0, len(history(path.parent, path.name)) - keep)]:
                stale.unlink(missing_ok=True)
        write_text(path, text)
    except OSError as exc:
        raise _err("cannot_write", file=path, reason=str(exc)) from exc
    return path


def restore_previous(workspace: Workspace | str | Path, filename: str) -> Path:
    """Put the newest ``.history/`` copy of ``filename`` back in place (the current file is kept in history)."""
    copies = history(workspace, filename)
    if not copies:
        raise _err("no_history", file=_folder(workspace) / filename)
    latest = copies[-1]
    target = _folder(workspace) / filename
    data = latest.read_bytes()
    if target.exists():
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S%f")
        write_bytes(target.parent / HISTORY_DIR / f"{target.stem}.{stamp}{target.suffix}", target.read_bytes())
    write_bytes(target, data)
    latest.unlink()
    return target


# --------------------------------------------------------------------------------------------
# the two files of issue 4
# --------------------------------------------------------------------------------------------
def load_customer_types(workspace: Workspace | str | Path, *, default_if_missing: bool = False) -> CustomerTypes:
    """The workspace's customer types (defaults when the file is missing and ``default_if_missing``)."""
    path = _folder(workspace) / CUSTOMER_TYPES_FILE
    if default_if_missing and not path.exists():
        return default_customer_types()
    return load_yaml_model(path, CustomerTypes)


def save_customer_types(workspace: Workspace | str | Path, types: CustomerTypes) -> Path:
    """Save the customer types (atomic, previous version kept in ``.history/``)."""
    header = t("workspace.header.customer_types", "zh") + "\n" + t("workspace.header.customer_types", "en") + "\n" + t("workspace.header.edit", "zh") + "\n" + t("workspace.header.edit", "en")
    return save_yaml_model(_folder(workspace) / CUSTOMER_TYPES_FILE, types, header=header)


def load_standards(workspace: Workspace | str | Path, *, default_if_missing: bool = False) -> ServiceStandards:
    """The workspace's service standards (defaults when the file is missing and ``default_if_missing``)."""
    path = _folder(workspace) / STANDARDS_FILE
    if default_if_missing and not path.exists():
        return default_service_standards()
    return load_yaml_model(path, ServiceStandards)


def save_standards(workspace: Workspace | str | Path, standards: ServiceStandards) -> Path:
    """Save the service standards (atomic, previous version kept in ``.history/``)."""
    header = t("workspace.header.standards", "zh") + "\n" + t("workspace.header.standards", "en") + "\n" + t("workspace.header.edit", "zh") + "\n" + t("workspace.header.edit", "en")
    return save_yaml_model(_folder(workspace) / STANDARDS_FILE, standards, header=header)
