"""Attainment of the SMART standards in the loaded history (the 'achievable' test of notebook 02)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from kit.core.display import format_share
from kit.core.i18n import t

__all__ = ["SMART_LINKS", "measured_attainment", "measured_attainment_table"]


def measured_attainment_table(measured: pd.DataFrame, standards: Any, lang: str) -> pd.DataFrame:
    """:func:`measured_attainment` for display: the standard's title, met, breached and attainment."""
    titles = {s.id: s.title(lang) for s in getattr(standards, "smart", [])}
    frame = pd.DataFrame(
        {
            "standard": [titles.get(i, i) for i in measured["id"]],
            "metric": [t(f"widgets.option.{m}", lang) for m in measured["metric"]],
            "met": measured["met"].astype(int),
            "breached": measured["breached"].astype(int),
            "attainment": [format_share(v) for v in measured["attainment"]],
        }
    )
    return frame.rename(columns={c: t(f"widgets.measured.{c}", lang) for c in frame.columns})


# --------------------------------------------------------------------------------------------
# "achievable": today's attainment per SMART standard, measured from the complaints
# --------------------------------------------------------------------------------------------
#: Seed SMART standards measured from the complaints: id -> (SLA metric, channels, tiers);
#: ``None`` = all.  Every other standard (greeting, records, training, rings, call-back,
#: satisfaction, and any standard the team adds) is not linked: its 'achievable' stays unknown.
SMART_LINKS: dict[str, tuple[str, tuple[str, ...] | None, tuple[str, ...] | None, bool]] = {
    # id: (metric, channels, tiers, exclude_channels)
    "urgent_30min": ("first_response", None, ("urgent",), False),
    "normal_2h": ("first_response", ("email",), ("normal", "inquiry"), True),
    "email_24h": ("first_response", ("email",), ("normal", "inquiry"), False),
    "sla_attainment": ("first_response", None, None, False),
    "resolve_24h": ("resolution", None, None, False),
}


def measured_attainment(
    complaints: pd.DataFrame, standards: Any, *, as_of: pd.Timestamp, stores: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Attainment in the loaded history of the SMART standards listed in :data:`SMART_LINKS`.

    The status of each complaint is computed with :func:`kit.audit.measures.sla_status` against the
    workspace's SLA rules (the targets the team set in the form), then ``met / (met + breached)``
    over the complaints the standard covers.

    Returns
    -------
    DataFrame
        One row per linked standard present in ``standards.smart``: ``id``, ``metric``,
        ``scope`` (channels / tiers), ``met``, ``breached``, ``attainment``.
    """
    from kit.audit.measures import sla_attainment, sla_status
    from kit.workshop.standards import store_calendars

    calendars = store_calendars(stores, getattr(standards, "calendar", None)) if stores is not None else None
    ids = {s.id for s in getattr(standards, "smart", [])}
    status_by_metric: dict[str, pd.DataFrame] = {}
    rows = []
    for sid, (metric, channels, tiers, exclude) in SMART_LINKS.items():
        if sid not in ids:
            continue
        if metric not in status_by_metric:
            status_by_metric[metric] = sla_status(complaints, standards, metric, as_of=as_of, calendars=calendars)
        status = status_by_metric[metric]
        mask = pd.Series(True, index=status.index)
        if channels is not None:
            inside = status["channel"].isin(channels)
            mask &= ~inside if exclude else inside
        if tiers is not None:
            mask &= status["tier"].isin(tiers)
        att = sla_attainment(status.loc[mask]) if mask.any() else None
        scope = (
            ("≠ " if exclude else "")
            + ("/".join(channels) if channels else "*")
            + " × "
            + ("/".join(tiers) if tiers else "*")
        )
        rows.append(
            {
                "id": sid,
                "metric": metric,
                "scope": scope,
                "met": 0 if att is None else int(att["met"].iloc[0]),
                "breached": 0 if att is None else int(att["breached"].iloc[0]),
                "attainment": float("nan") if att is None else float(att["attainment"].iloc[0]),
            }
        )
    return pd.DataFrame(rows, columns=["id", "metric", "scope", "met", "breached", "attainment"])
