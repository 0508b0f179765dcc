"""Notebook parameters, validated before a notebook runs and again in its second cell.

papermill passes parameters as they come (its command line turns ``-p store_id 001`` into the
integer 1), and an unknown parameter name only warns.  Every notebook therefore validates its
parameters through :func:`validate_params`: a typo, a wrong type or an impossible period is a
:class:`~kit.errors.ParameterError` that names the parameter and says what to write instead.

Examples
--------
>>> p = validate_params(store_id="001", period_start="2026-01-01", period_end="2026-12-31", data_dir=".", lang="en")
>>> p.store_id, p.period_start.isoformat()
('001', '2026-01-01')
>>> validate_params(store_id=1, period_start="2026-01-01", period_end="2026-12-31", data_dir=".", lang="en")
Traceback (most recent call last):
...
kit.errors.ParameterError: store_id must be text such as '001' (in quotes), got 1 — column: store_id. What to do: write store_id = "001"
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from kit.errors import ParameterError


class _Params(BaseModel):
    """What every notebook's parameters share: no unknown names, text store ids, an ordered period."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("store_id", mode="before", check_fields=False)
    @classmethod
    def _store_id_is_text(cls, value: Any) -> Any:
        if not isinstance(value, str):
            raise ValueError("store_id_not_text")
        return value

    @model_validator(mode="after")
    def _period_in_order(self) -> "_Params":
        if self.period_end < self.period_start:  # type: ignore[attr-defined]
            raise ValueError("period_order")
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
    >>> params_model("04_satisfaction_loyalty").__name__
    'ReportParams'
    """
    return _MODELS[notebook_scope(stem)]


_HINTS = {
    "store_id_not_text": (
        "门店编号 store_id 必须是文本（加引号），例如 '001'，收到 {value!r}",
        "store_id must be text such as '001' (in quotes), got {value!r}",
        '写成 store_id = "001"',
        'write store_id = "001"',
    ),
    "period_order": (
        "统计期结束日期早于开始日期",
        "period_end is before period_start",
        "检查 period_start 和 period_end",
        "check period_start and period_end",
    ),
}


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
        msg = str(err.get("ctx", {}).get("error", err["msg"]))
        key = next((k for k in _HINTS if k in msg), None)
        if key:
            zh, en, hint_zh, hint_en = _HINTS[key]
            raise ParameterError(zh.format(value=value), en.format(value=value), column=name,
                                 hint_zh=hint_zh, hint_en=hint_en) from None
        if err["type"] == "extra_forbidden":
            allowed = ", ".join(model.model_fields)
            raise ParameterError(f"未知参数 {name}", f"unknown parameter {name}", column=name,
                                 hint_zh=f"可用参数：{allowed}", hint_en=f"known parameters: {allowed}") from None
        raise ParameterError(f"参数 {name} 的值 {value!r} 无效：{err['msg']}",
                             f"parameter {name} has an invalid value {value!r}: {err['msg']}", column=name,
                             hint_zh="日期写成 YYYY-MM-DD，lang 写 zh 或 en",
                             hint_en="write dates as YYYY-MM-DD and lang as zh or en") from None
