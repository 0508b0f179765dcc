"""The seeds' nine service-quality goals as a scorecard: each goal, its indicators, target and actual.

The seeds group nine goals in four families (customer experience G1–G3, customer emotion G4–G5,
business effectiveness G6–G7, internal capability G8–G9).  A goal only steers a team when it is
measured, so every goal is bound here to one or two indicators computed from the four tables the
kit reads (complaints, surveys, transactions; the SLA through :mod:`kit.audit`), each with a
direction and a target:

====  ==================================  ==========================================  ========  ======
goal  meaning                             indicator                                   target    source
====  ==================================  ==========================================  ========  ======
G1    convenience and accessibility       ``ces_easy_share`` CES 2.0 answers 5–7 (%)   ≥ 70      kit
G1                                        ``channels_used`` contact channels used      ≥ 4       kit
G2    timely and proactive response       ``first_response_sla`` attainment (%)        ≥ 95      seeds
G3    professional and accurate service   ``reopen_rate`` tickets reopened (%)         ≤ 5       kit
G3                                        ``assurance_gap`` SERVQUAL P − E             ≥ −0.5    kit
G4    satisfaction and loyalty            ``nps`` (points)                             ≥ 30      kit
G4                                        ``csat`` top-2-box (%)                       ≥ 90      kit
G5    expectations vs perceptions         ``servqual_gap`` unweighted P − E            ≥ −0.5    kit
G5                                        ``resolved_24h`` within the golden window (%) ≥ 95     seeds
G6    first-contact / effective fix       ``fcr`` first-contact resolution (%)         ≥ 70      kit
G6                                        ``resolution_satisfaction`` rated 4–5 (%)    ≥ 95      seeds
G7    cost and resource efficiency        ``compensation_per_complaint`` (yuan)        ≤ 50      kit
G7                                        ``contacts_per_resolution``                  ≤ 1.5     kit
G8    staff skill                         ``skill_complaint_share`` attitude and       ≤ 15      kit
                                          product-knowledge complaints (%)
G8                                        ``authority_compliance`` compensation        ≥ 100     seeds
                                          approved within the authority limits (%)
G9    monitoring and improvement          ``follow_up_rate`` call-back in time (%)     ≥ 95      kit
G9                                        ``survey_responses`` answers in the period   ≥ 30      kit
====  ==================================  ==========================================  ========  ======

"seeds" targets are figures of the seed documents (SLA attainment above 95 %, the 24-hour golden
window, complaint-resolution satisfaction ≥ 95 %, the 500-yuan front-line authority); "kit"
targets are the kit's starting suggestions (the seeds name the goal but give no number, e.g.
FCR), to be set by each team in its workshop.  First-contact resolution is the share of resolved
complaints with ``contacts_to_resolve == 1`` that were not reopened (as helpdesks define FCR).

Targets live in the workspace file ``goals.yaml`` (saved atomically, with history, through
:func:`kit.core.store.save_yaml_model`), or come from a plain ``{indicator: target}`` dict;
without either, the defaults above apply.  Status is ``met``, ``not_met`` or ``no_data``
(no measurement, e.g. no SERVQUAL answers in the period).

Examples
--------
>>> goals = default_goals()
>>> goals.target("nps"), goals.target("fcr")
(30.0, 70.0)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from kit.core.i18n import t
from kit.core.validation import invalid

__all__ = [
    "FAMILIES",
    "GOALS_FILE",
    "GOAL_IDS",
    "INDICATORS",
    "Indicator",
    "QualityGoals",
    "SKILL_CATEGORIES",
    "default_goals",
    "default_targets",
    "goals_note",
    "load_goals",
    "save_goals",
]

GOALS_FILE = "goals.yaml"
GOAL_IDS = tuple(f"G{k}" for k in range(1, 10))
#: Goal families of the seeds.
FAMILIES = {
    "G1": "experience",
    "G2": "experience",
    "G3": "experience",
    "G4": "emotion",
    "G5": "emotion",
    "G6": "business",
    "G7": "business",
    "G8": "capability",
    "G9": "capability",
}


@dataclass(frozen=True)
class Indicator:
    """An indicator bound to a goal: its direction, unit, default target and where that comes from."""

    code: str
    goal: str
    direction: Literal[">=", "<="]
    unit: str
    default: float
    source: Literal["seeds", "kit"]


INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in (
        Indicator("ces_easy_share", "G1", ">=", "percent", 70, "kit"),
        Indicator("channels_used", "G1", ">=", "count", 4, "kit"),
        Indicator("first_response_sla", "G2", ">=", "percent", 95, "seeds"),
        Indicator("reopen_rate", "G3", "<=", "percent", 5, "kit"),
        Indicator("assurance_gap", "G3", ">=", "scale", -0.5, "kit"),
        Indicator("nps", "G4", ">=", "points", 30, "kit"),
        Indicator("csat", "G4", ">=", "percent", 90, "kit"),
        Indicator("servqual_gap", "G5", ">=", "scale", -0.5, "kit"),
        Indicator("resolved_24h", "G5", ">=", "percent", 95, "seeds"),
        Indicator("fcr", "G6", ">=", "percent", 70, "kit"),
        Indicator("resolution_satisfaction", "G6", ">=", "percent", 95, "seeds"),
        Indicator("compensation_per_complaint", "G7", "<=", "yuan", 50, "kit"),
        Indicator("contacts_per_resolution", "G7", "<=", "ratio", 1.5, "kit"),
        Indicator("skill_complaint_share", "G8", "<=", "percent", 15, "kit"),
        Indicator("authority_compliance", "G8", ">=", "percent", 100, "seeds"),
        Indicator("follow_up_rate", "G9", ">=", "percent", 95, "kit"),
        Indicator("survey_responses", "G9", ">=", "count", 30, "kit"),
    )
}
#: Complaint categories that point at staff skill (G8).
SKILL_CATEGORIES = ("service_attitude", "staff_knowledge")


def default_targets() -> dict[str, float]:
    """The default target of every indicator (see the module table)."""
    return {code: float(ind.default) for code, ind in INDICATORS.items()}


class QualityGoals(BaseModel):
    """The content of a workspace's ``goals.yaml``: a target per indicator.

    Indicators left out keep their default target.  Unknown indicator names are an error (a typo
    would otherwise silently keep the default).
    """

    model_config = ConfigDict(extra="forbid")

    version: int = 1
    source: str = "seed-defaults"
    targets: dict[str, float] = Field(default_factory=default_targets)

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
        """The target of ``code`` (its default when the file does not set it)."""
        return float(self.targets.get(code, INDICATORS[code].default))


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
