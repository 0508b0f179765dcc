"""The client workspace: a folder of plain YAML files that the workshop notebooks read and write.

Layout (``kit workspace new NAME`` creates it under the project's ``workspaces/`` folder)::

    workspaces/NAME/
        customer_types.yaml     customer types and their key needs   (kit.workshop.customer_types.CustomerTypes)
        standards.yaml          service standards, SLA, calendar ...  (kit.workshop.standards.ServiceStandards)
        goals.yaml              targets of the nine quality goals     (kit.workshop.goals.QualityGoals)
        standards_card.<lang>.html   the printable card, written by notebook 02 (kit.workshop.card)
        .history/               earlier versions, one timestamped copy per save

**Plain, diffable YAML.**  Keys keep the order of the models (never sorted), Chinese is written
as Chinese (``allow_unicode=True``), block style, one field per line, so a ``git diff`` shows
exactly what the workshop changed.  A short comment heads every file; comments added by hand
are not kept when the notebook saves the file again.

**Atomic saves that keep the previous version.**  Saving (1) checks the new content by reading
it back through the model, (2) copies the file on disk to
``.history/<name>.<YYYYmmddTHHMMSSffffff>.yaml`` and (3) writes the new content to a temporary
file in the same folder and moves it over the old one with :func:`os.replace`
(:func:`kit.core.files.write_text`).  A kernel that dies at any point leaves either the old or the
new file, never half of one, and the previous version is always in ``.history/``.  The newest
``KEEP_HISTORY`` copies per file are kept (20 by default).  We chose a history folder over a
single ``.bak`` file because a workshop saves many times and a ``.bak`` would only hold the
last-but-one state.  Saving unchanged content writes nothing.

**Validated on load.**  A file edited by hand is checked by the pydantic model; a mistake
raises :class:`kit.core.errors.WorkspaceError` naming the field *and* the line of the YAML file
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
from datetime import date, timedelta
from pathlib import Path

from kit.core.errors import WorkspaceError
from kit.core.i18n import t
from kit.core.store import history, load_yaml_model, save_yaml_model
from kit.workshop.customer_types import CustomerTypes, default_customer_types
from kit.workshop.goals import GOALS_FILE, default_goals, save_goals
from kit.workshop.standards import ServiceStandards, default_service_standards

__all__ = [
    "CUSTOMER_TYPES_FILE",
    "DEFAULT_REVIEW_AFTER",
    "STANDARDS_FILE",
    "Workspace",
    "check_name",
    "create_workspace",
    "load_customer_types",
    "load_standards",
    "open_workspace",
    "save_customer_types",
    "save_standards",
]

CUSTOMER_TYPES_FILE = "customer_types.yaml"
STANDARDS_FILE = "standards.yaml"
#: Review date of the default standards, counted from the day the workspace is created.
DEFAULT_REVIEW_AFTER = timedelta(days=182)

_BAD_NAME = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


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
        raise WorkspaceError.from_key("workspace.error.bad_name", column="name", name=name)
    return text


def create_workspace(root: str | Path, name: str, *, overwrite: bool = False, today: date | None = None) -> Workspace:
    """Create ``root/name`` with the default ``customer_types.yaml``, ``standards.yaml`` and ``goals.yaml``.

    ``goals.yaml`` holds the targets of the nine quality goals (:func:`kit.workshop.goals.default_goals`),
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
        raise WorkspaceError.from_key("workspace.error.exists", file=folder, name=name)
    if folder.exists() and not folder.is_dir():
        raise WorkspaceError.from_key("workspace.error.not_a_folder", file=folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError.from_key("workspace.error.cannot_write", file=folder, reason=str(exc)) from exc
    ws = Workspace(folder)
    review = (today or date.today()) + DEFAULT_REVIEW_AFTER
    save_customer_types(ws, default_customer_types())
    save_standards(ws, default_service_standards(review_date=review))

    save_goals(ws, default_goals())
    return ws


def open_workspace(path: str | Path) -> Workspace:
    """Open an existing workspace folder (WorkspaceError if it does not exist)."""
    folder = Path(path)
    if not folder.exists():
        raise WorkspaceError.from_key("workspace.error.missing", file=folder)
    if not folder.is_dir():
        raise WorkspaceError.from_key("workspace.error.not_a_folder", file=folder)
    return Workspace(folder)


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
    header = (
        t("workspace.header.customer_types", "zh")
        + "\n"
        + t("workspace.header.customer_types", "en")
        + "\n"
        + t("workspace.header.edit", "zh")
        + "\n"
        + t("workspace.header.edit", "en")
    )
    return save_yaml_model(_folder(workspace) / CUSTOMER_TYPES_FILE, types, header=header)


def load_standards(workspace: Workspace | str | Path, *, default_if_missing: bool = False) -> ServiceStandards:
    """The workspace's service standards (defaults when the file is missing and ``default_if_missing``)."""
    path = _folder(workspace) / STANDARDS_FILE
    if default_if_missing and not path.exists():
        return default_service_standards()
    return load_yaml_model(path, ServiceStandards)


def save_standards(workspace: Workspace | str | Path, standards: ServiceStandards) -> Path:
    """Save the service standards (atomic, previous version kept in ``.history/``)."""
    header = (
        t("workspace.header.standards", "zh")
        + "\n"
        + t("workspace.header.standards", "en")
        + "\n"
        + t("workspace.header.edit", "zh")
        + "\n"
        + t("workspace.header.edit", "en")
    )
    return save_yaml_model(_folder(workspace) / STANDARDS_FILE, standards, header=header)
