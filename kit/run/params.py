"""Notebook parameters, validated before a notebook runs and again in its second cell.

papermill passes parameters as they come (its command line turns ``-p store_id 001`` into the
integer 1), and an unknown parameter name only warns.  Every notebook therefore validates its
parameters through :func:`validate_params`: a typo, a wrong type or an impossible period is a
:class:`~kit.core.errors.ParameterError` that names the parameter and says what to write instead.

Examples
--------
>>> p = validate_params(store_id="001", period_start="2026-01-01", period_end="2026-12-31", data_dir=".", lang="en")
>>> p.store_id, p.period_start.isoformat()
('001', '2026-01-01')
>>> validate_params(store_id=1, period_start="2026-01-01", period_end="2026-12-31", data_dir=".", lang="en")
Traceback (most recent call last):
...
kit.core.errors.ParameterError: store_id must be text such as '001' (in quotes), got 1 — column: store_id. What to do: write store_id = "001"
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kit.core.errors import ParameterError
from kit.core.validation import invalid, problem

__all__ = [
    "ChainParams",
    "LoyaltyParams",
    "NOTEBOOK_MODELS",
    "NOTEBOOK_SCOPES",
    "ReportParams",
    "WorkshopParams",
    "notebook_scope",
    "params_model",
    "validate_params",
]


class _Params(BaseModel):
    """What every notebook's parameters share: no unknown names, text store ids, an ordered period."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("store_id", mode="before", check_fields=False)
    @classmethod
    def _store_id_is_text(cls, value: Any) -> Any:
        if not isinstance(value, str):
            raise invalid("batch.params.error.store_id_not_text", value=repr(value))
        return value

    @model_validator(mode="after")
    def _period_in_order(self) -> _Params:
        if self.period_end < self.period_start:  # type: ignore[attr-defined]
            raise invalid("batch.params.error.period_order")
        return self


class ChainParams(_Params):
    """Parameters of the chain-level notebook ``00_chain_overview`` (all stores, no ``store_id``)."""

    period_start: date
    period_end: date
    data_dir: Path
    lang: Literal["zh", "en"] = "zh"
    workspace: str = ""
    unmask: bool = False


class ReportParams(ChainParams):
    """Parameters of the per-store notebooks: the chain's, plus the store."""

    store_id: str


class LoyaltyParams(ReportParams):
    """Parameters of ``04_satisfaction_loyalty``: the store report's, plus its analysis settings.

    ``margin`` is the gross margin on sales used for lifetime value; ``window_days`` the
    "bought again within N days" window after a complaint; ``inactive_days`` the churn rule (no
    purchase for longer than this); ``horizon_weeks`` the horizon of the probabilistic CLV model.
    ``kit run --set margin=0.35`` changes one for every store.
    """

    margin: float = Field(0.30, gt=0, le=1)
    window_days: int = Field(90, ge=1, le=3650)
    inactive_days: int = Field(90, ge=1, le=3650)
    horizon_weeks: int = Field(52, ge=1, le=520)


class WorkshopParams(_Params):
    """Parameters of notebooks 01 and 02 (``store_id=""`` = the whole chain)."""

    workspace: str = ""
    data_dir: Path
    lang: Literal["zh", "en"] = "zh"
    store_id: str = ""
    period_start: date = date(2026, 1, 1)
    period_end: date = date(2026, 12, 31)
    interactive: bool = False


#: How each notebook is run in a batch: ``store`` = one job per store (:class:`ReportParams`),
#: ``chain`` = one job for the whole chain (:class:`ChainParams`), ``workshop`` = one job per
#: store on a client workspace (:class:`WorkshopParams`).  Unlisted notebooks are ``store``.
NOTEBOOK_SCOPES: dict[str, str] = {
    "00_chain_overview": "chain",
    "01_customer_types": "workshop",
    "02_service_standards": "workshop",
}

_MODELS: dict[str, type[BaseModel]] = {"store": ReportParams, "chain": ChainParams, "workshop": WorkshopParams}
#: Notebooks with settings of their own beyond their scope's parameters.
NOTEBOOK_MODELS: dict[str, type[BaseModel]] = {"04_satisfaction_loyalty": LoyaltyParams}


def notebook_scope(stem: str) -> str:
    """``store``, ``chain`` or ``workshop`` for a notebook file stem (e.g. ``03_complaint_audit``).

    Examples
    --------
    >>> notebook_scope("00_chain_overview"), notebook_scope("03_complaint_audit")
    ('chain', 'store')
    """
    return NOTEBOOK_SCOPES.get(stem, "store")


def params_model(stem: str) -> type[BaseModel]:
    """The parameter model a notebook validates with (see :data:`NOTEBOOK_SCOPES`).

    Examples
    --------
    >>> params_model("03_complaint_audit").__name__, params_model("04_satisfaction_loyalty").__name__
    ('ReportParams', 'LoyaltyParams')
    """
    return NOTEBOOK_MODELS.get(stem) or _MODELS[notebook_scope(stem)]


def validate_params(model: type[BaseModel] = ReportParams, /, **values: Any) -> Any:
    """Validate notebook parameters; raise :class:`ParameterError` naming the first problem.

    Parameters
    ----------
    model : pydantic model class
        Defaults to :class:`ReportParams`; notebooks with other parameters pass their own.
    **values
        The parameters as the notebook received them.
    """
    try:
        return model(**values)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = ".".join(str(p) for p in err["loc"]) or "parameters"
        value = values.get(name, err.get("input"))
        if str(err["type"]).startswith("batch.params."):
            raise ParameterError.from_key(err["type"], column=name, **(err.get("ctx") or {})) from None
        if err["type"] == "extra_forbidden":
            raise ParameterError.from_key(
                "batch.params.error.unknown", column=name, name=name, known=", ".join(model.model_fields)
            ) from None
        raise ParameterError.from_key(
            "batch.params.error.invalid", column=name, name=name, value=repr(value), problem=problem(err)
        ) from None
