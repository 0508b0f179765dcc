"""YAML files of pydantic models, saved atomically with their previous versions kept.

Every YAML file the kit reads -- workspace files here, a data folder's ``mapping.yaml`` in
:mod:`kit.intake.mapping` -- goes through :func:`parse_plain_yaml`, which does bounded work on
any input: at most :data:`YAML_MAX_BYTES` of text, :data:`YAML_MAX_NODES` values, nesting at
most :data:`YAML_MAX_DEPTH` levels deep, no alias (``*name``) standing for a list or a mapping
(the "billion laughs" file, where a few lines expand into 10⁹ strings), and keys that are text.
Any of these is one :class:`~kit.core.errors.KitError` naming the file and the line.

Examples
--------
>>> parse_plain_yaml("a: [1, 2]")[0]
{'a': [1, 2]}
>>> parse_plain_yaml("a: &x [1, 2]\\nb: *x", file="m.yaml")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
kit.core.errors.WorkspaceError: m.yaml is not a plain mapping: the alias *x on line 2 stands for a list or mapping...
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from kit.core.errors import KitError, Text, WorkspaceError
from kit.core.files import write_bytes, write_text
from kit.core.validation import problem

__all__ = [
    "HISTORY_DIR",
    "KEEP_HISTORY",
    "YAML_MAX_BYTES",
    "YAML_MAX_DEPTH",
    "YAML_MAX_NODES",
    "history",
    "load_yaml_model",
    "parse_plain_yaml",
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

#: The largest YAML file the kit reads (bytes); mapping and workspace files are a few KiB.
YAML_MAX_BYTES = 2 * 1024 * 1024
#: How deep lists and mappings may nest (a workspace file needs 5 levels, a mapping file 4).
YAML_MAX_DEPTH = 20
#: How many values (scalars, lists, mappings) one YAML file may hold.
YAML_MAX_NODES = 200_000

_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _NotPlain(Exception):
    """Raised inside the loader; turned into the caller's KitError by :func:`parse_plain_yaml`."""

    def __init__(self, reason: str, **values: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.values = values


class _PlainLoader(yaml.SafeLoader):
    """A safe loader that refuses aliases of collections, deep nesting, too many nodes and non-text keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            target = self.anchors.get(event.anchor)
            if target is not None and not isinstance(target, yaml.ScalarNode):
                raise _NotPlain("alias", alias=event.anchor, line=event.start_mark.line + 1)
            return super().compose_node(parent, index)
        self._nodes += 1
        if self._nodes > YAML_MAX_NODES:
            raise _NotPlain("too_many", limit=f"{YAML_MAX_NODES:,}", line=self.peek_event().start_mark.line + 1)
        self._depth += 1
        try:
            if self._depth > YAML_MAX_DEPTH:
                raise _NotPlain("too_deep", limit=YAML_MAX_DEPTH, line=self.peek_event().start_mark.line + 1)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def compose_mapping_node(self, anchor: Any) -> Any:
        node = super().compose_mapping_node(anchor)
        for key, _value in node.value:
            line = key.start_mark.line + 1
            if not isinstance(key, yaml.ScalarNode):
                raise _NotPlain("complex_key", line=line)
            if key.tag not in (_STR_TAG, _MERGE_TAG):
                raise _NotPlain("key_not_text", entry=key.value, line=line)
        return node


class _TextLoader(_PlainLoader):
    """:class:`_PlainLoader` that reads every plain value as text (``001`` stays ``001``, ``yes`` stays ``yes``)."""

    yaml_implicit_resolvers: dict = {}  # no implicit types: every plain scalar is a str


def parse_plain_yaml(
    text: str | bytes,
    *,
    file: Any = None,
    error: type[KitError] = WorkspaceError,
    text_only: bool = False,
) -> tuple[Any, yaml.Node | None]:
    """Parse a YAML document with bounded work; return ``(data, root node)``.

    Parameters
    ----------
    text : str or bytes
        The document (bytes are decoded as UTF-8, with or without a byte-order mark; a
        :class:`UnicodeDecodeError` is left to the caller).
    file : path, optional
        Named in the error.
    error : KitError subclass
        The class raised for a document that is not plain (``WorkspaceError`` for workspace
        files, ``DataError`` for a data folder's mapping file).
    text_only : bool
        Read every plain scalar as text, as a mapping file wants (``001``, ``yes``, ``1.0``
        keep their spelling), instead of YAML's implicit types.

    Returns
    -------
    data, root
        The Python value (None for an empty document) and the composed node (for line numbers).

    Raises
    ------
    KitError
        ``error`` with key ``core.error.yaml_not_plain`` when the text is larger than
        :data:`YAML_MAX_BYTES`, nests deeper than :data:`YAML_MAX_DEPTH`, holds more than
        :data:`YAML_MAX_NODES` values, uses an alias for a list or mapping, or has a key that
        is not text.
    yaml.YAMLError
        For malformed YAML (the caller names the line).

    Examples
    --------
    >>> parse_plain_yaml("id: 001\\nok: yes", text_only=True)[0]
    {'id': '001', 'ok': 'yes'}
    >>> parse_plain_yaml("1: a", file="w.yaml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kit.core.errors.WorkspaceError: w.yaml is not a plain mapping: the key 1 on line 1 is not text...
    """
    name = Path(str(file)).name if file is not None else "YAML"
    size = len(text)
    if size > YAML_MAX_BYTES:
        raise error.from_key(
            "core.error.yaml_not_plain",
            file=file,
            name=name,
            problem=Text("core.yaml.too_big", {"size": f"{size:,}", "limit": f"{YAML_MAX_BYTES:,}"}),
        )
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig")
    loader = (_TextLoader if text_only else _PlainLoader)(text)
    try:
        try:
            root = loader.get_single_node()
        except _NotPlain as exc:
            raise error.from_key(
                "core.error.yaml_not_plain",
                file=file,
                row=exc.values.get("line"),
                name=name,
                problem=Text(f"core.yaml.{exc.reason}", exc.values),
            ) from None
        data = None if root is None else loader.construct_document(root)
    finally:
        loader.dispose()
    return data, root


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
        with path.open("rb") as fh:
            raw = fh.read(YAML_MAX_BYTES + 1)
    except FileNotFoundError as exc:
        raise WorkspaceError.from_key("workspace.error.file_missing", file=path) from exc
    except OSError as exc:
        raise WorkspaceError.from_key("workspace.error.cannot_read", file=path, reason=str(exc)) from exc
    try:
        data, root = parse_plain_yaml(raw, file=path, error=WorkspaceError)
    except UnicodeDecodeError as exc:
        raise WorkspaceError.from_key("workspace.error.not_utf8", file=path) from exc
    except yaml.YAMLError as exc:  # malformed YAML, or a character YAML does not allow (NUL ...)
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = None if mark is None else mark.line + 1
        what = getattr(exc, "problem", None) or getattr(exc, "context", None) or str(exc).splitlines()[0]
        raise WorkspaceError.from_key("workspace.error.syntax", file=path, row=line, problem=str(what)) from exc
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
