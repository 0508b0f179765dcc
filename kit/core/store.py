"""YAML files of pydantic models, saved atomically with their previous versions kept."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from kit.core.errors import Text, WorkspaceError
from kit.core.files import write_bytes, write_text
from kit.core.validation import problem

__all__ = [
    "HISTORY_DIR",
    "KEEP_HISTORY",
    "history",
    "load_yaml_model",
    "restore_previous",
    "save_yaml_model",
    "to_yaml",
]


HISTORY_DIR = ".history"


def _folder_of(workspace: Any) -> Path:
    """The folder of a workspace object (anything with ``.path``) or of a path."""
    return Path(getattr(workspace, "path", workspace))


#: How many earlier versions of each file are kept in ``.history/``.
KEEP_HISTORY = 20


M = TypeVar("M", bound=BaseModel)


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
    body = yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=120, indent=2
    )
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


def load_yaml_model(path: str | Path, model: type[M]) -> M:
    """Read ``path`` and validate it with ``model``; any problem raises WorkspaceError with field and line."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise WorkspaceError.from_key("workspace.error.file_missing", file=path) from exc
    except UnicodeDecodeError as exc:
        raise WorkspaceError.from_key("workspace.error.not_utf8", file=path) from exc
    except OSError as exc:
        raise WorkspaceError.from_key("workspace.error.cannot_read", file=path, reason=str(exc)) from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = None if mark is None else mark.line + 1
        raise WorkspaceError.from_key(
            "workspace.error.syntax", file=path, row=line, problem=str(exc.problem or exc.context or "")
        ) from exc
    if root is None or data is None:
        raise WorkspaceError.from_key("workspace.error.empty", file=path)
    if not isinstance(data, dict):
        raise WorkspaceError.from_key("workspace.error.not_mapping", file=path, row=1)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        line, field = _node_line(root, tuple(first["loc"]))
        more = Text("workspace.error.more", {"n": len(errors) - 1}) if len(errors) > 1 else ""
        raise WorkspaceError.from_key(
            "workspace.error.invalid",
            file=path,
            row=line,
            column=field,
            name=path.name,
            line=line,
            field=field,
            problem=problem(first),
            more=more,
        ) from exc


def history(workspace: Any, filename: str) -> list[Path]:
    """Earlier versions of ``filename`` kept in the workspace's ``.history/``, oldest first."""
    folder = _folder_of(workspace) / HISTORY_DIR
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
        raise WorkspaceError.from_key("workspace.error.cannot_write", file=path, reason=str(exc)) from exc
    return path


def restore_previous(workspace: Any, filename: str) -> Path:
    """Put the newest ``.history/`` copy of ``filename`` back in place (the current file is kept in history)."""
    copies = history(workspace, filename)
    if not copies:
        raise WorkspaceError.from_key("workspace.error.no_history", file=_folder_of(workspace) / filename)
    latest = copies[-1]
    target = _folder_of(workspace) / filename
    data = latest.read_bytes()
    if target.exists():
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S%f")
        write_bytes(target.parent / HISTORY_DIR / f"{target.stem}.{stamp}{target.suffix}", target.read_bytes())
    write_bytes(target, data)
    latest.unlink()
    return target
