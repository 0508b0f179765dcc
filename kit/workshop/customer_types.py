"""Customer types: who the team serves, what each type needs, and RFM segments of the buyers.

A **customer type** is a group of people who depend on the team's work (the seed guide's extended
definition: "anyone who depends on the output of your work is your customer").  Each type has a
name in Chinese and English, a *relation* (external or internal), a *directness* (direct,
indirect or potential), a description, its key needs -- each optionally tagged with the KANO
category found for it (see :mod:`kit.workshop.kano`) --, its share of volume or revenue (0–1) and a
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
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from kit.core.errors import ParameterError
from kit.core.i18n import check_lang, label_of
from kit.core.validation import invalid

__all__ = [
    "SEED_NEEDS",
    "CustomerType",
    "CustomerTypes",
    "Directness",
    "KanoCategory",
    "KeyNeed",
    "Priority",
    "Relation",
    "SLUG",
    "add_customer_type",
    "attach_kano",
    "default_customer_types",
    "must_be_needs",
    "remove_customer_type",
]

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
            raise invalid("customers.invalid.duplicate_ids", ids=", ".join(dup))
        for basis in ("volume", "revenue"):
            total = sum(ct.share or 0.0 for ct in self.types if ct.share_basis == basis)
            if total > 1 + 1e-6:
                raise invalid("customers.invalid.shares_over_one", basis=basis, total=f"{total:.2f}")
        return self

    def get(self, type_id: str) -> CustomerType:
        """The type with id ``type_id`` (ParameterError if there is none)."""
        for ct in self.types:
            if ct.id == type_id:
                return ct
        raise ParameterError.from_key("customers.error.unknown_type", column="id", type_id=type_id)

    def table(self, lang: str) -> pd.DataFrame:
        """One row per type, for people: name, labelled relation, directness and priority, the needs joined.

        The ids (codes of ``customer_types.yaml``) are left out: a reader knows a type by its name.
        """
        check_lang(lang)
        rows = [
            {
                "name": ct.name(lang),
                "relation": label_of("customers.relation", ct.relation, lang),
                "directness": label_of("customers.directness", ct.directness, lang),
                "priority": label_of("customers.priority", ct.priority, lang),
                "share": "—" if ct.share is None else f"{ct.share:.0%}",
                "key_needs": ("；" if lang == "zh" else "; ").join(
                    (n.need_zh if lang == "zh" else (n.need_en or n.need_zh)) + (f" [{n.kano}]" if n.kano else "")
                    for n in ct.key_needs
                ),
            }
            for ct in self.types
        ]
        frame = pd.DataFrame(rows, columns=["name", "relation", "directness", "priority", "share", "key_needs"])
        return frame.rename(columns={c: label_of("customers.column", c, lang) for c in frame.columns})


def _need(zh: str, en: str, feature: str | None = None) -> KeyNeed:
    return KeyNeed(need_zh=zh, need_en=en, feature=feature)


#: The seed's key needs linked to a KANO feature of the sample survey, by feature code.
SEED_NEEDS: dict[str, KeyNeed] = {
    n.feature: n
    for n in (  # type: ignore[misc]
        _need("快速响应，不让顾客久等", "a fast response, no long waits", "fast_response"),
        _need("清晰、一致的补偿规则", "a clear, consistent compensation policy", "clear_compensation_policy"),
        _need("针对个人情况的解决方案", "a solution that fits their situation", "personalised_solution"),
        _need("处理进度的及时告知", "timely progress updates", "progress_updates"),
        _need("问题解决后的主动回访", "a proactive call-back after the fix", "proactive_follow_up"),
        _need("记住偏好和以往记录", "remembering preferences and history", "remember_preferences"),
    )
}
_FAST, _COMP, _PERS, _PROG, _FOLL, _PREF = (
    SEED_NEEDS[k]
    for k in (
        "fast_response",
        "clear_compensation_policy",
        "personalised_solution",
        "progress_updates",
        "proactive_follow_up",
        "remember_preferences",
    )
)


def default_customer_types() -> CustomerTypes:
    """The seed taxonomy of customer types, with key needs linked to the sample survey's KANO features.

    External: consumers, business customers, government bodies, non-profits; internal: colleagues
    in the same department, other departments, management, new staff; plus indirect (gift
    recipients / end users, partners' customers) and potential customers.  Shares are left empty
    for the team to fill in; priorities are a starting point for the discussion.
    """
    seed: list[dict[str, Any]] = [
        dict(
            id="consumers",
            name_zh="个人消费者",
            name_en="consumers",
            relation="external",
            directness="direct",
            priority="high",
            description_zh="在门店、App 或线上购物并直接付款的个人顾客。",
            description_en="Individual shoppers who buy and pay in the store, in the app or online.",
            key_needs=[_FAST, _COMP, _PROG, _PREF],
        ),
        dict(
            id="business_customers",
            name_zh="企业客户",
            name_en="business customers",
            relation="external",
            directness="direct",
            priority="high",
            description_zh="团购、福利采购等批量购买的公司客户。",
            description_en="Companies buying in bulk (staff gifts, group purchases).",
            key_needs=[_PERS, _need("准确的发票和对账", "accurate invoices and statements"), _PROG],
        ),
        dict(
            id="government_bodies",
            name_zh="政府机构",
            name_en="government bodies",
            relation="external",
            directness="direct",
            priority="medium",
            description_zh="采购或监管门店的政府部门，例如市场监管部门。",
            description_en="Public bodies that buy from or supervise the stores, e.g. market regulators.",
            key_needs=[_need("合规、透明的流程与记录", "compliant, transparent processes and records"), _FAST],
        ),
        dict(
            id="non_profits",
            name_zh="非营利组织",
            name_en="non-profit organisations",
            relation="external",
            directness="direct",
            priority="low",
            description_zh="公益机构、社区组织等合作或采购方。",
            description_en="Charities and community organisations that buy or cooperate with the chain.",
            key_needs=[_need("可靠的承诺和联系人", "reliable commitments and a named contact"), _COMP],
        ),
        dict(
            id="same_department",
            name_zh="本部门同事",
            name_en="colleagues in the same department",
            relation="internal",
            directness="direct",
            priority="medium",
            description_zh="接班、协作的同组同事，依赖你交接的信息。",
            description_en="Team mates on the next shift or the same case, who rely on your hand-over.",
            key_needs=[
                _need("完整准确的交接记录", "complete, accurate hand-over notes"),
                _need("按时完成自己的部分", "doing one's part on time"),
            ],
        ),
        dict(
            id="other_departments",
            name_zh="其他部门",
            name_en="other departments",
            relation="internal",
            directness="direct",
            priority="medium",
            description_zh="仓储、物流、采购、财务等需要客服信息的部门。",
            description_en="Warehouse, logistics, purchasing, finance: departments that act on service information.",
            key_needs=[
                _need("用统一模板提交的信息", "information in the agreed template"),
                _need("明确的时限和升级路径", "clear time limits and escalation paths"),
            ],
        ),
        dict(
            id="management",
            name_zh="管理层",
            name_en="management",
            relation="internal",
            directness="direct",
            priority="high",
            description_zh="店长、区域经理和总部，需要真实的服务数据做决策。",
            description_en="Store, regional and head-office managers who decide on real service data.",
            key_needs=[
                _need("准确及时的服务指标", "accurate, timely service indicators"),
                _need("问题根因和改进建议", "root causes and proposals"),
            ],
        ),
        dict(
            id="new_staff",
            name_zh="新员工",
            name_en="new staff",
            relation="internal",
            directness="direct",
            priority="medium",
            description_zh="入职不久的员工，依赖流程手册和老员工的指导。",
            description_en="Recent joiners who depend on the process manual and on coaching.",
            key_needs=[
                _need("清楚的流程手册和话术", "a clear process manual and phrases"),
                _need("可以求助的带教人", "a mentor to ask"),
            ],
        ),
        dict(
            id="end_users",
            name_zh="最终使用者",
            name_en="end users",
            relation="external",
            directness="indirect",
            priority="medium",
            description_zh="收到礼品或使用商品但不是购买者的人，往往无法直接联系。",
            description_en="People who receive or use the goods without buying them; often not reachable.",
            key_needs=[_need("方便的退换和售后", "easy returns and after-sales service"), _FAST],
        ),
        dict(
            id="partner_customers",
            name_zh="合作方的顾客",
            name_en="partners' customers",
            relation="external",
            directness="indirect",
            priority="low",
            description_zh="通过联营商户、外卖平台等合作方购买的顾客。",
            description_en="Customers who buy through concessions or delivery platforms.",
            key_needs=[_need("各渠道一致的服务标准", "the same service standard in every channel"), _PROG],
        ),
        dict(
            id="potential_customers",
            name_zh="潜在顾客",
            name_en="potential customers",
            relation="external",
            directness="potential",
            priority="medium",
            description_zh="有兴趣、有购买能力、正在比较和决策的人，例如已关注但未购买的会员。",
            description_en="People interested and able to buy who are still deciding, e.g. followers who have not bought yet.",
            key_needs=[_need("准确的商品信息和建议", "accurate product information and advice"), _FAST],
        ),
    ]
    return CustomerTypes(types=[CustomerType(source="seed", **d) for d in seed])


def attach_kano(types: CustomerTypes, categories: Mapping[str, str] | pd.Series) -> CustomerTypes:
    """Copy KANO categories onto the key needs linked to a survey feature.

    Parameters
    ----------
    types : CustomerTypes
    categories : mapping or Series
        Feature code -> category, e.g. ``kit.workshop.kano.kano_analysis(...).categories``.  Needs whose
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


def add_customer_type(types: CustomerTypes, new: CustomerType, *, replace: bool = False) -> CustomerTypes:
    """A copy of ``types`` with ``new`` appended (or replacing the type with the same id if ``replace``)."""
    existing = [ct.id for ct in types.types]
    if new.id in existing and not replace:
        raise ParameterError.from_key("customers.error.type_exists", column="id", type_id=new.id)
    kept = [ct for ct in types.types if ct.id != new.id]
    position = existing.index(new.id) if new.id in existing else len(kept)
    kept.insert(position, new)
    return CustomerTypes.model_validate({"version": types.version, "types": [c.model_dump() for c in kept]})


def remove_customer_type(types: CustomerTypes, type_id: str) -> CustomerTypes:
    """A copy of ``types`` without the type ``type_id`` (ParameterError if it does not exist)."""
    types.get(type_id)
    return CustomerTypes(version=types.version, types=[ct for ct in types.types if ct.id != type_id])
