"""The team's targets for the seeds' nine service-quality goals (``goals.yaml``).

The seeds group nine goals in four families (customer experience G1–G3, customer emotion G4–G5,
business effectiveness G6–G7, internal capability G8–G9).  A goal only steers a team when it is
measured: every goal is bound to indicators of the registry (:mod:`kit.workshop.indicators`,
which lists each indicator's definition, default target and source).  This module holds the
workspace file that sets the targets: a target per indicator whose target comes from the goals
(the SLA attainments take theirs from ``standards.yaml``), saved atomically with history through
:func:`kit.core.store.save_yaml_model`.  Without the file the registry's defaults apply -- the
seeds' figures where they give one (24-hour window, resolution satisfaction ≥ 95 %, the 500-yuan
front-line authority), else the kit's starting suggestions, to be set by each team in its
workshop.  How each indicator is measured and judged is :mod:`kit.chain.indicators`.

Examples
--------
>>> goals = default_goals()
>>> goals.target("nps"), goals.target("fcr")
(30.0, 70.0)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from kit.core.i18n import t
from kit.core.validation import invalid
from kit.workshop.indicators import INDICATORS, RETIRED

__all__ = [
    "GOALS_FILE",
    "QualityGoals",
    "default_goals",
    "default_targets",
    "goals_note",
    "load_goals",
    "save_goals",
]

GOALS_FILE = "goals.yaml"


def default_targets() -> dict[str, float]:
    """The default target of every indicator whose target ``goals.yaml`` sets (see the registry).

    Indicators measured against the standards (the two SLA attainments) take their target from
    ``standards.yaml``; those without a published figure (complaints per 1,000 transactions,
    repeat purchase) are compared with the chain until the team sets one here.
    """
    return {
        code: float(ind.default)
        for code, ind in INDICATORS.items()
        if ind.target_from == "goals" and ind.default is not None
    }


class QualityGoals(BaseModel):
    """The content of a workspace's ``goals.yaml``: a target per indicator of the registry.

    Indicators left out keep their default target.  Unknown indicator names are an error (a typo
    would otherwise silently keep the default).  Codes of earlier versions
    (:data:`kit.workshop.indicators.RETIRED`, e.g. ``resolved_24h``) are read as their current
    indicator; a target that belongs in ``standards.yaml`` (the SLA attainments) is dropped when it
    equals the default and refused otherwise, naming the file to set it in.
    """

    model_config = ConfigDict(extra="forbid")

    version: int = 1
    source: str = "seed-defaults"
    targets: dict[str, float] = Field(default_factory=default_targets)

    @field_validator("targets", mode="before")
    @classmethod
    def _current_codes(cls, value: Any) -> Any:
        if not isinstance(value, Mapping):
            return value
        out: dict[Any, Any] = {}
        for code, target in value.items():
            code = RETIRED.get(code, code)
            ind = INDICATORS.get(code)
            if ind is not None and ind.target_from == "standards":
                if isinstance(target, (int, float)) and float(target) == float(ind.default or 0):
                    continue  # the old default written by earlier versions: standards.yaml decides
                raise invalid("goals.invalid.set_in_standards", names=code)
            out[code] = target
        return out

    @field_validator("targets")
    @classmethod
    def _known(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - set(INDICATORS))
        if unknown:
            raise invalid("goals.invalid.unknown_indicator", names=", ".join(unknown), known=", ".join(INDICATORS))
        bad = [k for k, v in value.items() if not np.isfinite(v)]
        if bad:
            raise invalid("goals.invalid.not_numbers", names=", ".join(bad))
        return value

    def target(self, code: str) -> float:
        """The target of ``code`` set here, or its default (NaN for an indicator without one)."""
        default = INDICATORS[code].default
        return float(self.targets.get(code, np.nan if default is None else default))


def default_goals() -> QualityGoals:
    """The documented defaults as a :class:`QualityGoals`."""
    return QualityGoals()


def _folder(workspace: Any) -> Path:
    return Path(getattr(workspace, "path", workspace)).expanduser()


def load_goals(workspace: Any = None) -> tuple[QualityGoals, str]:
    """The workspace's goals (``goals.yaml``) or the defaults, with a note on which.

    Parameters
    ----------
    workspace : str, Path, :class:`kit.workshop.workspace.Workspace` or None
        The workspace folder; ``None`` or ``""`` = defaults.

    Returns
    -------
    (QualityGoals, str)
        The goals and an English/Chinese-neutral source code: ``"defaults"``, ``"no_file"`` or
        ``"workspace"`` (see :func:`goals_note`).

    Raises
    ------
    WorkspaceError
        ``goals.yaml`` exists but is invalid (the message names the line).
    """
    from kit.core.store import load_yaml_model

    if workspace in (None, ""):
        return default_goals(), "defaults"
    path = _folder(workspace) / GOALS_FILE
    if not path.exists():
        return default_goals(), "no_file"
    return load_yaml_model(path, QualityGoals), "workspace"


def save_goals(workspace: Any, goals: QualityGoals | Mapping[str, float]) -> Path:
    """Save the goals to ``<workspace>/goals.yaml`` atomically, keeping the previous version in ``.history/``."""
    from kit.core.store import save_yaml_model

    model = (
        goals
        if isinstance(goals, QualityGoals)
        else QualityGoals(source="workshop", targets=default_targets() | dict(goals))
    )
    header = "\n".join([t("goals.header.file", "zh"), t("goals.header.file", "en")])
    return save_yaml_model(_folder(workspace) / GOALS_FILE, model, header=header)


def goals_note(source: str, lang: str) -> str:
    """One line saying where the targets come from."""
    return t(f"goals.note.{source}", lang)
