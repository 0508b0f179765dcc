"""Attainment of the SMART standards in the loaded history (the 'achievable' test of notebook 02).

A SMART standard linked to a rule of the standards (:class:`kit.workshop.standards.RuleRef`) is
measured on the complaints that rule governs: its SLA rule's tickets (``met ÷ (met + breached)``
of :func:`kit.audit.measures.sla_status`), all the metric's tickets for an attainment standard,
or the call-backs due for the follow-up window.  Standards not linked to a rule (greeting,
records, training, rings, satisfaction, and any the team adds) have no measurement here: their
'achievable' stays unknown for the team to judge.

Examples
--------
>>> import pandas as pd
>>> from kit.workshop.standards import default_service_standards
>>> c = pd.DataFrame({"store_id": ["001"] * 2, "channel": ["phone"] * 2, "tier": ["urgent"] * 2,
...     "created_at": pd.to_datetime(["2026-01-05 10:00"] * 2),
...     "first_response_at": pd.to_datetime(["2026-01-05 10:20", "2026-01-05 11:00"]),
...     "resolved_at": pd.to_datetime(["2026-01-05 12:00"] * 2)})
>>> m = measured_attainment(c, default_service_standards(), as_of=pd.Timestamp("2026-01-31"))
>>> m.set_index("id").loc["urgent_30min", ["met", "breached", "attainment"]].tolist()
[1.0, 1.0, 0.5]
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from kit.core.display import format_share
from kit.core.i18n import t
from kit.workshop.smart import standard_wording

__all__ = ["measured_attainment", "measured_attainment_table"]


def measured_attainment_table(measured: pd.DataFrame, standards: Any, lang: str) -> pd.DataFrame:
    """:func:`measured_attainment` for display: the standard's wording, met, breached and attainment."""
    by_id = {s.id: s for s in getattr(standards, "smart", [])}
    frame = pd.DataFrame(
        {
            "standard": [standard_wording(by_id[i], standards, lang) if i in by_id else i for i in measured["id"]],
            "metric": [
                t(f"standards.card.{'follow_up_metric' if m == 'follow_up' else m}", lang) for m in measured["metric"]
            ],
            "met": measured["met"].astype(int),
            "breached": measured["breached"].astype(int),
            "attainment": [format_share(v) for v in measured["attainment"]],
        }
    )
    return frame.rename(columns={c: t(f"widgets.measured.{c}", lang) for c in frame.columns})


def measured_attainment(
    complaints: pd.DataFrame, standards: Any, *, as_of: pd.Timestamp, stores: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Attainment in the loaded history of every SMART standard linked to a rule of ``standards``.

    Returns
    -------
    DataFrame
        One row per linked standard: ``id``, ``metric``, ``met``, ``breached``, ``attainment``
        (NaN when no ticket was decided).
    """
    from kit.audit.measures import follow_up_compliance, sla_status
    from kit.workshop.standards import rules_table, store_calendars

    calendars = store_calendars(stores, getattr(standards, "calendar", None)) if stores is not None else None
    status_by_metric: dict[str, pd.DataFrame] = {}
    rules = rules_table(standards) if getattr(standards, "sla", None) else pd.DataFrame()
    rows = []
    for std in getattr(standards, "smart", []):
        ref = std.rule
        if ref is None:
            continue
        if ref.metric == "follow_up":
            if not {"follow_up_at", "resolved_at", "tier"} <= set(complaints.columns):
                continue
            follow = standards.follow_up
            exempt = sorted(set(complaints["tier"].dropna()) - set(follow.tiers))
            table = follow_up_compliance(
                complaints, as_of=as_of, window_hours=follow.window_hours, exempt_tiers=exempt
            ).iloc[0]
            met, decided = int(table["on_time"]), int(table["n"])
            rows.append(
                {
                    "id": std.id,
                    "metric": "follow_up",
                    "met": met,
                    "breached": decided - met,
                    "attainment": met / decided if decided else float("nan"),
                }
            )
            continue
        if ref.metric not in status_by_metric:
            status_by_metric[ref.metric] = sla_status(
                complaints, standards, ref.metric, as_of=as_of, calendars=calendars
            )
        status = status_by_metric[ref.metric]
        if ref.part == "target":
            match = rules.loc[
                (rules["metric"] == ref.metric) & (rules["channel"] == ref.channel) & (rules["tier"] == ref.tier),
                "rule_id",
            ]
            if match.empty:
                continue
            status = status.loc[status["rule_id"] == match.iloc[0]]
        met = int((status["status"] == "met").sum())
        breached = int((status["status"] == "breached").sum())
        rows.append(
            {
                "id": std.id,
                "metric": ref.metric,
                "met": met,
                "breached": breached,
                "attainment": met / (met + breached) if met + breached else float("nan"),
            }
        )
    return pd.DataFrame(rows, columns=["id", "metric", "met", "breached", "attainment"])
