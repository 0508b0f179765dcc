"""Customer types: who the team serves, what each type needs, and RFM segments of the buyers.

A **customer type** is a group of people who depend on the team's work (the seed guide's extended
definition: "anyone who depends on the output of your work is your customer").  Each type has a
name in Chinese and English, a *relation* (external or internal), a *directness* (direct,
indirect or potential), a description, its key needs -- each optionally tagged with the KANO
category found for it (see :mod:`kit.kano`) --, its share of volume or revenue (0–1) and a
priority.  **Priority is high / medium / low**: a workshop decides it by discussion, and three
levels map naturally onto the service tiers; a 1–5 score would suggest a precision the room does
not have.

:func:`default_customer_types` is the seed taxonomy: external (consumers, business customers,
government bodies, non-profits), internal (same department, other departments, management, new
staff), and indirect / potential examples.

**RFM segmentation** (recency, frequency, monetary value; Hughes 1994, *Strategic Database
Marketing*) scores every customer 1–5 on each axis by quintile and names segments a team can
adopt as customer types (:func:`segment_to_customer_type`).

Examples
--------
>>> types = default_customer_types()
>>> [t.id for t in types.types][:4]
['consumers', 'business_customers', 'government_bodies', 'non_profits']
>>> types.get("consumers").relation
'external'
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from kit.errors import DataError, ParameterError
from kit.i18n import check_lang, label_of, t

KanoCategory = Literal["A", "O", "M", "I", "R", "Q"]
Relation = Literal["external", "internal"]
Directness = Literal["direct", "indirect", "potential"]
Priority = Literal["high", "medium", "low"]
SLUG = r"^[a-z0-9][a-z0-9_]*$"


class KeyNeed(BaseModel):
    """One key need of a customer type, optionally linked to a KANO survey feature and category.

    ``feature`` is the survey feature code (``fast_response`` for the columns
    ``kano_fast_response_func/_dysf``); ``kano`` is its category (A/O/M/I/R/Q) or None.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    need_zh: str = Field(min_length=1)
    need_en: str = ""
    feature: str | None = None
    kano: KanoCategory | None = None


class CustomerType(BaseModel):
    """A customer type (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=SLUG, max_length=60)
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    relation: Relation
    directness: Directness
    description_zh: str = ""
    description_en: str = ""
    key_needs: list[KeyNeed] = Field(default_factory=list)
    share: float | None = Field(default=None, ge=0, le=1)
    share_basis: Literal["volume", "revenue"] = "volume"
    priority: Priority = "medium"
    source: Literal["seed", "rfm", "custom"] = "custom"

    def name(self, lang: str) -> str:
        """The name in ``lang``."""
        return self.name_zh if check_lang(lang) == "zh" else self.name_en


class CustomerTypes(BaseModel):
    """The content of ``customer_types.yaml``: the list of customer types of a workspace.

    Ids must be unique, and the shares of the types on the same basis (volume or revenue) may not
    add up to more than 1.
    """

    model_config = ConfigDict(extra="forbid")

    version: int = 1
    types: list[CustomerType] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> CustomerTypes:
        ids = [ct.id for ct in self.types]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"customer type ids must be unique; repeated: {', '.join(dup)}")
        for basis in ("volume", "revenue"):
            total = sum(ct.share or 0.0 for ct in self.types if ct.share_basis == basis)
            if total > 1 + 1e-6:
                raise ValueError(f"the shares of {basis} add up to {total:.2f}, more than 1")
        return self

    def get(self, type_id: str) -> CustomerType:
        """The type with id ``type_id`` (ParameterError if there is none)."""
        for ct in self.types:
            if ct.id == type_id:
                return ct
        raise ParameterError(
            f"没有编号为 {type_id} 的客户类型", f"there is no customer type with id {type_id}", column="id"
        )

    def table(self, lang: str) -> pd.DataFrame:
        """One row per type with labelled relation, directness and priority, and the needs joined."""
        check_lang(lang)
        rows = [
            {
                "id": ct.id,
                "name": ct.name(lang),
                "relation": label_of("customers.relation", ct.relation, lang),
                "directness": label_of("customers.directness", ct.directness, lang),
                "priority": label_of("customers.priority", ct.priority, lang),
                "share": "—" if ct.share is None else f"{ct.share:.0%}",
                "key_needs": ("；" if lang == "zh" else "; ").join(
                    (n.need_zh if lang == "zh" else (n.need_en or n.need_zh)) + (f" [{n.kano}]" if n.kano else "") for n in ct.key_needs
                ),
            }
            for ct in self.types
        ]
        frame = pd.DataFrame(rows, columns=["id", "name", "relation", "directness", "priority", "share", "key_needs"])
        return frame.rename(columns={c: label_of("customers.column", c, lang) for c in frame.columns})


def _need(zh: str, en: str, feature: str | None = None) -> KeyNeed:
    return KeyNeed(need_zh=zh, need_en=en, feature=feature)


_FAST = ("快速响应，不让顾客久等", "a fast response, no long waits", "fast_response")
_COMP = ("清晰、一致的补偿规则", "a clear, consistent compensation policy", "clear_compensation_policy")
_PERS = ("针对个人情况的解决方案", "a solution that fits their situation", "personalised_solution")
_PROG = ("处理进度的及时告知", "timely progress updates", "progress_updates")
_FOLL = ("问题解决后的主动回访", "a proactive call-back after the fix", "proactive_follow_up")
_PREF = ("记住偏好和以往记录", "remembering preferences and history", "remember_preferences")


def default_customer_types() -> CustomerTypes:
    """The seed taxonomy of customer types, with key needs linked to the sample survey's KANO features.

    External: consumers, business customers, government bodies, non-profits; internal: colleagues
    in the same department, other departments, management, new staff; plus indirect (gift
    recipients / end users, partners' customers) and potential customers.  Shares are left empty
    for the team to fill in; priorities are a starting point for the discussion.
    """
    seed: list[dict[str, Any]] = [
        dict(id="consumers", name_zh="个人消费者", name_en="consumers", relation="external", directness="direct", priority="high",
             description_zh="在门店、App 或线上购物并直接付款的个人顾客。",
             description_en="Individual shoppers who buy and pay in the store, in the app or online.",
             key_needs=[_need(*_FAST), _need(*_COMP), _need(*_PROG), _need(*_PREF)]),
        dict(id="business_customers", name_zh="企业客户", name_en="business customers", relation="external", directness="direct", priority="high",
             description_zh="团购、福利采购等批量购买的公司客户。",
             description_en="Companies buying in bulk (staff gifts, group purchases).",
             key_needs=[_need(*_PERS), _need("准确的发票和对账", "accurate invoices and statements"), _need(*_PROG)]),
        dict(id="government_bodies", name_zh="政府机构", name_en="government bodies", relation="external", directness="direct", priority="medium",
             description_zh="采购或监管门店的政府部门，例如市场监管部门。",
             description_en="Public bodies that buy from or supervise the stores, e.g. market regulators.",
             key_needs=[_need("合规、透明的流程与记录", "compliant, transparent processes and records"), _need(*_FAST)]),
        dict(id="non_profits", name_zh="非营利组织", name_en="non-profit organisations", relation="external", directness="direct", priority="low",
             description_zh="公益机构、社区组织等合作或采购方。",
             description_en="Charities and community organisations that buy or cooperate with the chain.",
             key_needs=[_need("可靠的承诺和联系人", "reliable commitments and a named contact"), _need(*_COMP)]),
        dict(id="same_department", name_zh="本部门同事", name_en="colleagues in the same department", relation="internal", directness="direct", priority="medium",
             description_zh="接班、协作的同组同事，依赖你交接的信息。",
             description_en="Team mates on the next shift or the same case, who rely on your hand-over.",
             key_needs=[_need("完整准确的交接记录", "complete, accurate hand-over notes"), _need("按时完成自己的部分", "doing one's part on time")]),
        dict(id="other_departments", name_zh="其他部门", name_en="other departments", relation="internal", directness="direct", priority="medium",
             description_zh="仓储、物流、采购、财务等需要客服信息的部门。",
             description_en="Warehouse, logistics, purchasing, finance: departments that act on service information.",
             key_needs=[_need("用统一模板提交的信息", "information in the agreed template"), _need("明确的时限和升级路径", "clear time limits and escalation paths")]),
        dict(id="management", name_zh="管理层", name_en="management", relation="internal", directness="direct", priority="high",
             description_zh="店长、区域经理和总部，需要真实的服务数据做决策。",
             description_en="Store, regional and head-office managers who decide on real service data.",
             key_needs=[_need("准确及时的服务指标", "accurate, timely service indicators"), _need("问题根因和改进建议", "root causes and proposals")]),
        dict(id="new_staff", name_zh="新员工", name_en="new staff", relation="internal", directness="direct", priority="medium",
             description_zh="入职不久的员工，依赖流程手册和老员工的指导。",
             description_en="Recent joiners who depend on the process manual and on coaching.",
             key_needs=[_need("清楚的流程手册和话术", "a clear process manual and phrases"), _need("可以求助的带教人", "a mentor to ask")]),
        dict(id="end_users", name_zh="最终使用者", name_en="end users", relation="external", directness="indirect", priority="medium",
             description_zh="收到礼品或使用商品但不是购买者的人，往往无法直接联系。",
             description_en="People who receive or use the goods without buying them; often not reachable.",
             key_needs=[_need("方便的退换和售后", "easy returns and after-sales service"), _need(*_FAST)]),
        dict(id="partner_customers", name_zh="合作方的顾客", name_en="partners' customers", relation="external", directness="indirect", priority="low",
             description_zh="通过联营商户、外卖平台等合作方购买的顾客。",
             description_en="Customers who buy through concessions or delivery platforms.",
             key_needs=[_need("各渠道一致的服务标准", "the same service standard in every channel"), _need(*_PROG)]),
        dict(id="potential_customers", name_zh="潜在顾客", name_en="potential customers", relation="external", directness="potential", priority="medium",
             description_zh="有兴趣、有购买能力、正在比较和决策的人，例如已关注但未购买的会员。",
             description_en="People interested and able to buy who are still deciding, e.g. followers who have not bought yet.",
             key_needs=[_need("准确的商品信息和建议", "accurate product information and advice"), _need(*_FAST)]),
    ]
    return CustomerTypes(types=[CustomerType(source="seed", **d) for d in seed])


def attach_kano(types: CustomerTypes, categories: Mapping[str, str] | pd.Series) -> CustomerTypes:
    """Copy KANO categories onto the key needs linked to a survey feature.

    Parameters
    ----------
    types : CustomerTypes
    categories : mapping or Series
        Feature code -> category, e.g. ``kit.kano.kano_analysis(...).categories``.  Needs whose
        feature is not in it keep their category.

    Examples
    --------
    >>> out = attach_kano(default_customer_types(), {"fast_response": "M"})
    >>> out.get("consumers").key_needs[0].kano
    'M'
    """
    cats = {str(k): (None if pd.isna(v) else str(v)) for k, v in dict(categories).items()}
    new_types = []
    for ct in types.types:
        needs = [n.model_copy(update={"kano": cats[n.feature]}) if n.feature in cats else n for n in ct.key_needs]
        new_types.append(ct.model_copy(update={"key_needs": needs}))
    return CustomerTypes.model_validate({"version": types.version, "types": [c.model_dump() for c in new_types]})


def must_be_needs(types: CustomerTypes) -> set[str]:
    """Feature codes of all key needs tagged must-be (M): what a SMART standard may be relevant to."""
    return {n.feature for ct in types.types for n in ct.key_needs if n.kano == "M" and n.feature}


# --------------------------------------------------------------------------------------------
# RFM
# --------------------------------------------------------------------------------------------
#: Segment rules, first match wins; ``fm`` is the rounded mean of the F and M scores.
SEGMENTS: tuple[str, ...] = (
    "champions", "loyal", "new", "potential_loyalist", "need_attention", "about_to_sleep",
    "cant_lose", "at_risk", "hibernating", "lost",
)
_SEGMENT_PRIORITY: dict[str, Priority] = {
    "champions": "high", "loyal": "high", "new": "medium", "potential_loyalist": "medium",
    "need_attention": "medium", "about_to_sleep": "medium", "cant_lose": "high", "at_risk": "high",
    "hibernating": "low", "lost": "low",
}
_SEGMENT_NEEDS: dict[str, list[tuple[str, str, str | None]]] = {
    "champions": [_PREF, _FOLL], "loyal": [_PREF, _PERS], "new": [_FAST, _PROG],
    "potential_loyalist": [_PERS, _FOLL], "need_attention": [_PROG, _FOLL], "about_to_sleep": [_FOLL, _FAST],
    "cant_lose": [_PERS, _COMP], "at_risk": [_COMP, _FOLL], "hibernating": [_FAST], "lost": [_COMP],
}


def _scores(values: pd.Series, groups: pd.Series | None, bins: int) -> np.ndarray:
    """Quantile score 1..bins of the mid-rank percentile; ties share a score; higher value, higher score."""
    if groups is None:
        rank = values.rank(method="average")
        size = pd.Series(len(values), index=values.index, dtype="float64")
    else:
        rank = values.groupby(groups, sort=False).rank(method="average")
        size = values.groupby(groups, sort=False).transform("size").astype("float64")
    pct = (rank - 0.5) / size
    return (np.floor(pct.to_numpy() * bins) + 1).clip(1, bins).astype(np.int64)


def rfm_scores(
    transactions: pd.DataFrame,
    *,
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    group_col: str | None = None,
    as_of: str | date | pd.Timestamp | None = None,
    bins: int = 5,
) -> pd.DataFrame:
    """Recency, frequency and monetary value per customer, scored 1–5 by quintile, and a segment.

    * recency = days from the customer's last purchase to ``as_of`` (default: the day after the
      last transaction in the table); frequency = number of transactions; monetary = total amount.
    * Each is scored by the quantile of its *mid-rank percentile*:
      ``score = floor(bins · (rank − 0.5) / n) + 1`` with ``rank`` the average rank among the ``n``
      customers (fewer days since the last purchase rank higher).  Customers with equal values
      share the score -- ``pd.qcut`` would fail on repeated bin edges, which are common because
      many customers buy once -- and with very few customers the scores stay central (a single
      customer scores 3, not 5).  With many distinct values this equals quintiles.
    * ``group_col`` (e.g. ``"store_id"``) scores customers within each group.
    * ``segment`` follows :data:`SEGMENTS` (first match wins), with ``fm = round((F + M) / 2)``:
      champions R≥4 & FM≥4; loyal R=3 & FM≥4; new R≥4 & F=1; potential loyalist R≥4 (other);
      need attention R=3 & FM 2–3; about to sleep R=3 & FM=1; can't lose them R=1 & FM≥4;
      at risk R≤2 & FM≥3; hibernating R=2 & FM≤2; lost R=1 & FM≤2.

    Returns
    -------
    DataFrame
        One row per customer (and group): ``last_purchase``, ``recency_days``, ``frequency``,
        ``monetary``, ``r_score``, ``f_score``, ``m_score``, ``rfm`` (e.g. ``"545"``), ``segment``.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "date": ["2026-01-05", "2026-02-01", "2026-01-02"],
    ...                    "amount": [100.0, 50.0, 20.0]})
    >>> rfm_scores(tx)[["customer_id", "recency_days", "frequency", "monetary", "rfm"]].values.tolist()
    [['a', 1, 2, 150.0, '444'], ['b', 31, 1, 20.0, '222']]
    """
    if not 2 <= bins <= 10:
        raise ParameterError("分档数 bins 必须在 2 到 10 之间", "bins must be between 2 and 10", column="bins")
    keys = [customer_col] if group_col is None else [group_col, customer_col]
    for col in [*keys, date_col, amount_col]:
        if col not in transactions.columns:
            raise DataError(f"交易表缺少列 {col}", f"the transactions table has no column {col}", column=col,
                            hint_zh="检查交易导出文件的列名", hint_en="check the column names of the transactions export")
    when = pd.to_datetime(transactions[date_col], errors="coerce", format="mixed")
    amount = pd.to_numeric(transactions[amount_col], errors="coerce")
    bad = (when.isna() & transactions[date_col].notna()) | (amount.isna() & transactions[amount_col].notna())
    if bad.any():
        col = date_col if (when.isna() & transactions[date_col].notna()).any() else amount_col
        raise DataError(f"交易表的 {col} 列有 {int(bad.sum())} 个无法识别的值", f"the column {col} has {int(bad.sum())} values that cannot be read",
                        column=col, hint_zh="日期写成 YYYY-MM-DD，金额写成数字", hint_en="write dates as YYYY-MM-DD and amounts as numbers")
    frame = transactions[keys].assign(_when=when, _amount=amount).dropna(subset=["_when", *keys])
    if frame.empty:
        raise DataError("交易表没有可用的记录", "the transactions table has no usable rows", column=date_col)
    ref = pd.Timestamp(as_of) if as_of is not None else frame["_when"].max().normalize() + pd.Timedelta(days=1)
    agg = frame.groupby(keys, sort=True).agg(last_purchase=("_when", "max"), frequency=("_when", "size"), monetary=("_amount", "sum")).reset_index()
    agg["recency_days"] = (ref - agg["last_purchase"]).dt.days.astype(np.int64)
    groups = agg[group_col] if group_col is not None else None
    agg["r_score"] = _scores(-agg["recency_days"].astype("float64"), groups, bins)
    agg["f_score"] = _scores(agg["frequency"].astype("float64"), groups, bins)
    agg["m_score"] = _scores(agg["monetary"].astype("float64"), groups, bins)
    agg["rfm"] = agg["r_score"].astype(str) + agg["f_score"].astype(str) + agg["m_score"].astype(str)
    agg["segment"] = rfm_segment(agg["r_score"], agg["f_score"], agg["m_score"], bins=bins)
    agg["monetary"] = agg["monetary"].round(2)
    cols = [*keys, "last_purchase", "recency_days", "frequency", "monetary", "r_score", "f_score", "m_score", "rfm", "segment"]
    return agg[cols]


def rfm_segment(r: pd.Series, f: pd.Series, m: pd.Series, *, bins: int = 5) -> pd.Series:
    """Segment names from R, F, M scores (rules in :func:`rfm_scores`); scores on other scales are rescaled to 1–5."""
    r5, f5, m5 = (np.ceil(np.asarray(s, dtype="float64") * 5 / bins) for s in (r, f, m))
    fm = np.floor((f5 + m5) / 2 + 0.5)
    conditions = [
        (r5 >= 4) & (fm >= 4),
        (r5 == 3) & (fm >= 4),
        (r5 >= 4) & (f5 == 1),
        r5 >= 4,
        (r5 == 3) & (fm >= 2),
        r5 == 3,
        (r5 <= 1) & (fm >= 4),
        (r5 <= 2) & (fm >= 3),
        r5 == 2,
        r5 <= 1,
    ]
    out = np.select(conditions, list(SEGMENTS), default="lost")
    index = r.index if isinstance(r, pd.Series) else None
    return pd.Series(pd.Categorical(out, categories=list(SEGMENTS)), index=index, name="segment")


def rfm_summary(scores: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """Per segment: customers, share of customers, revenue, share of revenue, mean R/F/M.

    With ``lang`` the table gets a ``name`` column with the segment's label.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": list("aab"), "date": ["2026-01-05", "2026-02-01", "2026-01-02"], "amount": [100.0, 50, 20]})
    >>> int(rfm_summary(rfm_scores(tx)).loc["champions", "customers"])
    1
    """
    g = scores.groupby("segment", observed=False)
    out = pd.DataFrame(
        {
            "customers": g.size(),
            "revenue": g["monetary"].sum(),
            "mean_recency_days": g["recency_days"].mean(),
            "mean_frequency": g["frequency"].mean(),
            "mean_monetary": g["monetary"].mean(),
        }
    )
    out = out.reindex(list(SEGMENTS), fill_value=0)
    out.index.name = "segment"
    total_c, total_r = out["customers"].sum(), out["revenue"].sum()
    out.insert(1, "customer_share", out["customers"] / total_c if total_c else np.nan)
    out.insert(3, "revenue_share", out["revenue"] / total_r if total_r else np.nan)
    if lang is not None:
        check_lang(lang)
        out.insert(0, "name", [label_of("customers.segment", s, lang) for s in out.index])
    return out


def rfm_table(summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`rfm_summary` for display: segment names, shares in %, money rounded, headers in ``lang``.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": list("aab"), "date": ["2026-01-05", "2026-02-01", "2026-01-02"], "amount": [100.0, 50, 20]})
    >>> rfm_table(rfm_summary(rfm_scores(tx)), "en").columns[:3].tolist()
    ['segment', 'customers', 'share of customers']
    """
    check_lang(lang)
    out = summary.copy()
    out.insert(0, "segment", [label_of("customers.segment", s, lang) for s in out.index])
    out = out.drop(columns=["name"], errors="ignore").reset_index(drop=True)
    for col in ("customer_share", "revenue_share"):
        out[col] = out[col].map(lambda v: "—" if pd.isna(v) else f"{v:.1%}")
    for col, digits in (("revenue", 0), ("mean_recency_days", 0), ("mean_frequency", 1), ("mean_monetary", 0)):
        out[col] = out[col].map(lambda v, d=digits: "—" if pd.isna(v) else f"{v:,.{d}f}")
    return out.rename(columns={c: label_of("customers.column", c, lang) for c in out.columns})


def segment_to_customer_type(
    segment: str,
    summary: pd.DataFrame | None = None,
    *,
    share_basis: Literal["volume", "revenue"] = "revenue",
    type_id: str | None = None,
) -> CustomerType:
    """Turn an RFM segment into a customer type the team can adopt (and edit) in the workshop.

    Parameters
    ----------
    segment : str
        One of :data:`SEGMENTS`.
    summary : DataFrame, optional
        :func:`rfm_summary` output; gives the share (revenue share, or customer share for
        ``share_basis="volume"``).
    type_id : str, optional
        Id of the new type; default ``rfm_<segment>``.

    Examples
    --------
    >>> ct = segment_to_customer_type("at_risk")
    >>> ct.id, ct.name_en, ct.priority, ct.source
    ('rfm_at_risk', 'at-risk customers', 'high', 'rfm')
    """
    if segment not in SEGMENTS:
        raise ParameterError(
            f"未知的 RFM 分群 {segment!r}", f"unknown RFM segment {segment!r}", column="segment",
            hint_zh="可选：" + "、".join(SEGMENTS), hint_en="choose one of " + ", ".join(SEGMENTS),
        )
    share = None
    if summary is not None and segment in summary.index:
        col = "revenue_share" if share_basis == "revenue" else "customer_share"
        value = summary.loc[segment, col]
        share = None if pd.isna(value) else round(float(value), 4)
    return CustomerType(
        id=type_id or f"rfm_{segment}",
        name_zh=label_of("customers.segment", segment, "zh"),
        name_en=label_of("customers.segment", segment, "en"),
        relation="external",
        directness="direct",
        description_zh=t(f"customers.segment_description.{segment}", "zh"),
        description_en=t(f"customers.segment_description.{segment}", "en"),
        key_needs=[_need(*n) for n in _SEGMENT_NEEDS[segment]],
        share=share,
        share_basis=share_basis,
        priority=_SEGMENT_PRIORITY[segment],
        source="rfm",
    )


def add_customer_type(types: CustomerTypes, new: CustomerType, *, replace: bool = False) -> CustomerTypes:
    """A copy of ``types`` with ``new`` appended (or replacing the type with the same id if ``replace``)."""
    existing = [ct.id for ct in types.types]
    if new.id in existing and not replace:
        raise ParameterError(
            f"客户类型 {new.id} 已存在", f"the customer type {new.id} exists already", column="id",
            hint_zh="换一个编号，或用 replace=True 覆盖", hint_en="choose another id or pass replace=True",
        )
    kept = [ct for ct in types.types if ct.id != new.id]
    position = existing.index(new.id) if new.id in existing else len(kept)
    kept.insert(position, new)
    return CustomerTypes.model_validate({"version": types.version, "types": [c.model_dump() for c in kept]})


def remove_customer_type(types: CustomerTypes, type_id: str) -> CustomerTypes:
    """A copy of ``types`` without the type ``type_id`` (ParameterError if it does not exist)."""
    types.get(type_id)
    return CustomerTypes(version=types.version, types=[ct for ct in types.types if ct.id != type_id])
