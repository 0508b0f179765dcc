"""What each input table must look like, and the vectorised checks that hold a table to it.

One :class:`TableSpec` per input kind -- ``stores``, ``complaints``, ``surveys``, ``transactions``
-- lists its canonical columns (exactly the names :mod:`kit.intake.sample` writes), their Chinese and
English header aliases, their type, the values allowed and whether the column (and its values)
are required.  :func:`resolve_headers` matches a file's headers to the canonical names;
:func:`check_frame` converts the values to their canonical types and finds every bad cell with
whole-column operations (no per-row Python): the caller turns the problems into a rejects file.

Canonical types: ids and text stay text (``"001"`` keeps its zeros); times are naive
``datetime64[us]`` in local (Asia/Shanghai) time; counts and answers are ``Int64``; amounts are
``float64``; channels, tiers and approver roles are the codes of ``kit/locale/labels.yaml``
(Chinese labels such as 电话 or 紧急投诉 are accepted and mapped to ``phone`` / ``urgent``).

The data dictionary (canonical name — main Chinese header; more aliases in the specs below):

**stores** — ``store_id`` 门店编号 (required) · ``store_name_zh`` 门店名称 (required) ·
``store_name_en`` 门店英文名称 (required) · ``city`` 城市 · ``city_en`` 城市英文名 · ``region`` 区域 ·
``region_en`` 区域英文名 · ``opening_hours`` 营业时间 (required, ``09:00-22:00``) · ``timezone`` 时区 ·
``opened_on`` 开业日期.

**complaints** — ``complaint_id`` 投诉编号 (required, unique) · ``store_id`` 门店编号 (required, in
the stores file) · ``created_at`` 创建时间 (required) · ``channel`` 渠道 (required; phone, email,
chat, in_store, app, social) · ``tier`` 优先级 (required; urgent, normal, inquiry) · ``category``
投诉类别 (required) · ``category_en`` 类别代码 · ``first_response_at`` 首次响应时间 (empty = not yet
answered; an export without the column has no first-response indicators: "no data", never 0 %) · ``resolved_at`` 解决时间 · ``closed_at`` 关闭时间 ·
``contacts_to_resolve`` 联系次数 (≥ 1) · ``reopened`` 是否重开 (0/1, 是/否) ·
``compensation_amount`` 补偿金额 (≥ 0) · ``approver_role`` 审批人角色 (frontline, supervisor,
manager) · ``follow_up_at`` 回访时间 · ``resolution_satisfaction`` 满意度 (1–5) ·
``customer_id`` 客户编号 · ``customer_name`` 客户姓名 · ``customer_phone`` 客户电话.
No time may be earlier than ``created_at``.

**surveys** — ``response_id`` 问卷编号 (required, unique) · ``date`` 调查日期 (required) ·
``store_id`` 门店编号 (required) · ``customer_id`` 客户编号 · ``nps`` 推荐意愿 (0–10) · ``csat``
满意度 (1–5) · ``ces`` 费力度 (1–7 for CES 2.0, or 1–5 when ``ces_scale=5``) ·
``servqual_e01`` … ``servqual_e22`` 期望01 … 期望22 (1–7) · ``servqual_p01`` … ``servqual_p22``
感知01 … 感知22 (1–7) · ``importance_<dimension>`` 重要度_有形性 / 可靠性 / 响应性 / 保证性 / 同理心
(0–100 points) · ``kano_<feature>_func`` / ``_dysf`` e.g. 快速响应_正向 / 快速响应_反向 (1–5).

**transactions** — ``transaction_id`` 交易编号 (unique) · ``date`` 交易日期 (required) ·
``customer_id`` 客户编号 (required) · ``store_id`` 门店编号 (required) · ``amount`` 金额
(required, > 0).

Store ids name the folders of a run, so they must be usable as a folder name (no ``/``, ``\\``,
``..``, control characters, at most 64 characters).  A survey response must hold at least one score.

Examples
--------
>>> spec = get_spec("complaints")
>>> spec.column("created_at").aliases_zh[:2]
('创建时间', '投诉时间')
>>> resolve_headers(["投诉编号", "门店编号", "Created At"], spec).mapping
{'投诉编号': 'complaint_id', '门店编号': 'store_id', 'Created At': 'created_at'}
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kit.core.i18n import labels, t
from kit.intake.timeparse import UNIT, parse_datetimes

__all__ = [
    "ColType",
    "Column",
    "DURATION_UNITS",
    "HeaderResolution",
    "KANO_FEATURES_ZH",
    "KINDS",
    "OPTIONAL_KINDS",
    "PROBLEM_COLUMNS",
    "SAFE_NAME_MAX",
    "SERVQUAL_DIMENSIONS_ZH",
    "TableSpec",
    "alias_index",
    "category_table",
    "check_frame",
    "code_table",
    "describe",
    "get_spec",
    "norm_header",
    "norm_value",
    "reason_text",
    "resolve_headers",
    "values_fit",
]

KINDS = ("stores", "complaints", "surveys", "transactions")
ColType = Literal["id", "text", "code", "category", "int", "float", "yesno", "timestamp", "date", "hours"]


@dataclass(frozen=True)
class Column:
    """One canonical column.

    Parameters
    ----------
    name : str
        Canonical name (as :mod:`kit.intake.sample` writes it).
    type : str
        ``id`` / ``text`` (kept as text), ``code`` (mapped to the codes of ``labels.yaml`` group
        ``codes``), ``category`` (complaint category, free text normalised to the known list),
        ``int``, ``float``, ``yesno`` (0/1), ``timestamp`` / ``date`` (see :mod:`kit.intake.timeparse`),
        ``hours`` (opening hours ``HH:MM-HH:MM``).
    required : bool
        The column must be in the file.
    nonnull : bool
        Every row must have a value.
    aliases_zh, aliases_en : tuple of str
        Headers accepted for the column (matched ignoring case, spaces, ``_``, ``-`` and
        full-/half-width differences).
    lo, hi : float, optional
        Allowed range (inclusive) of numbers.
    codes : str, optional
        The ``labels.yaml`` group of allowed codes for ``type="code"``.
    unique : bool
        Values must not repeat.
    positive : bool
        Numbers must be more than 0 (a purchase of 0 is not a purchase).
    safe_name : bool
        Values become folder names (store ids name the run's folders): no ``/``, ``\\``,
        ``..``, control characters, characters Windows refuses (``<>:"|?*``), no leading or
        trailing ``.``, at most :data:`SAFE_NAME_MAX` characters.
    """

    name: str
    type: ColType
    required: bool = False
    nonnull: bool = False
    aliases_zh: tuple[str, ...] = ()
    aliases_en: tuple[str, ...] = ()
    lo: float | None = None
    hi: float | None = None
    codes: str | None = None
    unique: bool = False
    positive: bool = False
    safe_name: bool = False

    @property
    def label_zh(self) -> str:
        """The main Chinese header of the column."""
        return self.aliases_zh[0] if self.aliases_zh else self.name


@dataclass(frozen=True)
class TableSpec:
    """The canonical layout and rules of one input kind.

    Attributes
    ----------
    kind : str
    columns : tuple of Column
    after_created : tuple of str
        Time columns that must not be earlier than ``created_at``.
    store_column : str or None
        The column whose values must exist in the stores file.
    one_of : tuple of str
        Columns of which a row must have at least one value (a survey response answers at
        least one question).
    """

    kind: str
    columns: tuple[Column, ...]
    after_created: tuple[str, ...] = ()
    store_column: str | None = "store_id"
    one_of: tuple[str, ...] = ()

    def column(self, name: str) -> Column:
        """The :class:`Column` called ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        """Canonical column names in order."""
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        """Names of the columns that must be present."""
        return [c.name for c in self.columns if c.required]


def _c(name: str, type: ColType, zh: Iterable[str] = (), en: Iterable[str] = (), **kw: Any) -> Column:
    return Column(name=name, type=type, aliases_zh=tuple(zh), aliases_en=tuple(en), **kw)


_STORE_ID_ZH = ("门店编号", "门店代码", "门店编码", "门店ID", "店铺编号", "店号")
_STORE_ID_EN = ("store id", "store code", "store no", "shop id")
_CUSTOMER_ID_ZH = ("客户编号", "客户ID", "会员编号", "会员号")
_CUSTOMER_ID_EN = ("customer id", "member id", "client id")

SERVQUAL_DIMENSIONS_ZH = {
    "tangibles": "有形性",
    "reliability": "可靠性",
    "responsiveness": "响应性",
    "assurance": "保证性",
    "empathy": "同理心",
}
KANO_FEATURES_ZH = {
    "fast_response": "快速响应",
    "clear_compensation_policy": "明确的补偿政策",
    "personalised_solution": "个性化解决方案",
    "progress_updates": "进度更新",
    "proactive_follow_up": "主动回访",
    "remember_preferences": "记住客户偏好",
    "gift_wrapping": "礼品包装",
}


def _stores() -> TableSpec:
    cols = (
        _c("store_id", "id", _STORE_ID_ZH, _STORE_ID_EN, required=True, nonnull=True, safe_name=True, unique=True),
        _c(
            "store_name_zh",
            "text",
            ("门店名称", "门店名", "店名", "门店中文名"),
            ("store name zh", "store name (chinese)", "chinese name"),
            required=True,
            nonnull=True,
        ),
        _c(
            "store_name_en",
            "text",
            ("门店英文名称", "门店英文名", "英文名称", "英文店名"),
            ("store name en", "store name", "english name"),
            required=True,
            nonnull=True,
        ),
        _c("city", "text", ("城市", "所在城市"), ("city zh",)),
        _c("city_en", "text", ("城市英文名", "城市（英文）", "城市英文"), ("city en", "city (english)")),
        _c("region", "text", ("区域", "大区", "地区"), ("region zh",)),
        _c("region_en", "text", ("区域英文名", "区域（英文）", "区域英文"), ("region en", "region (english)")),
        _c(
            "opening_hours",
            "hours",
            ("营业时间",),
            ("opening hours", "business hours", "hours"),
            required=True,
            nonnull=True,
        ),
        _c("timezone", "text", ("时区",), ("time zone", "tz")),
        _c("opened_on", "date", ("开业日期", "开店日期"), ("opened on", "opening date", "open date")),
    )
    return TableSpec("stores", cols, store_column=None)


def _complaints() -> TableSpec:
    cols = (
        _c(
            "complaint_id",
            "id",
            ("投诉编号", "投诉单号", "工单号", "工单编号", "投诉ID"),
            ("complaint id", "ticket id", "ticket no", "case id"),
            required=True,
            nonnull=True,
            unique=True,
        ),
        _c("store_id", "id", _STORE_ID_ZH, _STORE_ID_EN, required=True, nonnull=True, safe_name=True),
        _c(
            "created_at",
            "timestamp",
            ("创建时间", "投诉时间", "受理时间", "登记时间", "提交时间"),
            ("created at", "created", "creation time", "opened at", "submitted at"),
            required=True,
            nonnull=True,
        ),
        _c(
            "channel",
            "code",
            ("渠道", "投诉渠道", "来源渠道"),
            ("channel", "source channel"),
            required=True,
            nonnull=True,
            codes="channel",
        ),
        _c(
            "tier",
            "code",
            ("优先级", "投诉级别", "级别", "紧急程度"),
            ("priority", "priority tier", "level"),
            required=True,
            nonnull=True,
            codes="tier",
        ),
        _c(
            "category",
            "category",
            ("投诉类别", "投诉类型", "类别", "问题类型"),
            ("complaint category", "type", "complaint type"),
            required=True,
            nonnull=True,
        ),
        _c("category_en", "text", ("类别代码", "类别英文"), ("category en", "category code")),
        _c(
            "first_response_at",
            "timestamp",
            ("首次响应时间", "首次回复时间", "首响时间"),
            ("first response at", "first response", "first reply at", "first reply time", "first response time"),
        ),
        _c(
            "resolved_at",
            "timestamp",
            ("解决时间", "处理完成时间", "完成时间"),
            ("resolved at", "resolved", "resolution time", "solved at"),
        ),
        _c("closed_at", "timestamp", ("关闭时间", "结案时间"), ("closed at", "closed")),
        _c("contacts_to_resolve", "int", ("联系次数", "解决前联系次数"), ("contacts to resolve", "contacts"), lo=1),
        _c("reopened", "yesno", ("是否重开", "重开", "重新打开"), ("reopened", "re-opened")),
        _c(
            "compensation_amount",
            "float",
            ("补偿金额", "赔偿金额", "补偿"),
            ("compensation amount", "compensation"),
            lo=0,
        ),
        _c(
            "approver_role",
            "code",
            ("审批人角色", "审批角色", "审批人"),
            ("approver role", "approved by"),
            codes="approver_role",
        ),
        _c("follow_up_at", "timestamp", ("回访时间", "跟进时间"), ("follow up at", "follow up", "follow-up time")),
        _c(
            "resolution_satisfaction",
            "int",
            ("满意度", "解决满意度", "处理满意度"),
            ("resolution satisfaction", "satisfaction"),
            lo=1,
            hi=5,
        ),
        _c("customer_id", "id", _CUSTOMER_ID_ZH, _CUSTOMER_ID_EN),
        _c("customer_name", "text", ("客户姓名", "姓名", "客户名称"), ("customer name", "name")),
        _c(
            "customer_phone",
            "id",
            ("客户电话", "联系电话", "手机号", "手机号码"),
            ("customer phone", "phone", "mobile"),
        ),
    )
    return TableSpec(
        "complaints", cols, after_created=("first_response_at", "resolved_at", "closed_at", "follow_up_at")
    )


def _surveys(ces_scale: int) -> TableSpec:
    cols: list[Column] = [
        _c(
            "response_id",
            "id",
            ("问卷编号", "答卷编号", "回复编号"),
            ("response id", "survey id"),
            required=True,
            nonnull=True,
            unique=True,
        ),
        _c(
            "date",
            "date",
            ("调查日期", "日期", "填写日期", "提交日期"),
            ("survey date", "response date"),
            required=True,
            nonnull=True,
        ),
        _c("store_id", "id", _STORE_ID_ZH, _STORE_ID_EN, required=True, nonnull=True, safe_name=True),
        _c("customer_id", "id", _CUSTOMER_ID_ZH, _CUSTOMER_ID_EN),
        _c("nps", "int", ("推荐意愿", "推荐度", "净推荐值评分"), ("likelihood to recommend", "recommend"), lo=0, hi=10),
        _c("csat", "int", ("满意度", "总体满意度"), ("satisfaction", "overall satisfaction"), lo=1, hi=5),
        _c("ces", "int", ("费力度", "客户费力度"), ("effort", "customer effort"), lo=1, hi=ces_scale),
    ]
    for side, zh in (("e", "期望"), ("p", "感知")):
        for k in range(1, 23):
            cols.append(
                _c(f"servqual_{side}{k:02d}", "int", (f"{zh}{k:02d}", f"{zh}{k}"), (f"servqual {side}{k}",), lo=1, hi=7)
            )
    for dim, zh in SERVQUAL_DIMENSIONS_ZH.items():
        cols.append(
            _c(f"importance_{dim}", "int", (f"重要度_{zh}", f"{zh}重要度"), (f"importance {dim}",), lo=0, hi=100)
        )
    for feat, zh in KANO_FEATURES_ZH.items():
        cols.append(
            _c(f"kano_{feat}_func", "int", (f"{zh}_正向", f"{zh}_具备时"), (f"kano {feat} functional",), lo=1, hi=5)
        )
        cols.append(
            _c(
                f"kano_{feat}_dysf",
                "int",
                (f"{zh}_反向", f"{zh}_不具备时"),
                (f"kano {feat} dysfunctional",),
                lo=1,
                hi=5,
            )
        )
    scores = tuple(c.name for c in cols if c.type == "int")
    return TableSpec("surveys", tuple(cols), one_of=scores)


def _transactions() -> TableSpec:
    cols = (
        _c(
            "transaction_id",
            "id",
            ("交易编号", "订单号", "流水号", "小票号"),
            ("transaction id", "order id", "receipt no"),
            unique=True,
        ),
        _c(
            "date",
            "date",
            ("交易日期", "日期", "销售日期"),
            ("transaction date", "sales date"),
            required=True,
            nonnull=True,
        ),
        _c("customer_id", "id", _CUSTOMER_ID_ZH, _CUSTOMER_ID_EN, required=True, nonnull=True),
        _c("store_id", "id", _STORE_ID_ZH, _STORE_ID_EN, required=True, nonnull=True, safe_name=True),
        _c(
            "amount",
            "float",
            ("金额", "交易金额", "消费金额", "实付金额"),
            ("sales amount", "total"),
            required=True,
            nonnull=True,
            lo=0,
            positive=True,
        ),
    )
    return TableSpec("transactions", cols)


# ----------------------------------------------------------------------------- memberships (optional)
#: Kinds a data folder may hold or not; a folder without them still loads.
OPTIONAL_KINDS = ("memberships",)


def _memberships() -> TableSpec:
    """A paid yearly membership programme: one row per membership (see ``data/README.md``).

    ``ended_on`` empty = still a member; the renewals are counted from ``joined_on`` by
    :func:`kit.loyalty.contractual.membership_survival`.
    """
    cols = (
        _c(
            "member_id",
            "id",
            ("会籍编号", "会员卡号", "会员编号", "会员号"),
            ("member id", "membership id", "card no"),
            required=True,
            nonnull=True,
            unique=True,
        ),
        _c("customer_id", "id", ("客户编号", "客户ID"), ("customer id", "client id")),
        _c("store_id", "id", _STORE_ID_ZH, _STORE_ID_EN, required=True, nonnull=True),
        _c(
            "joined_on",
            "date",
            ("入会日期", "开卡日期", "加入日期"),
            ("joined on", "join date", "joined", "start date"),
            required=True,
            nonnull=True,
        ),
        _c(
            "ended_on",
            "date",
            ("退会日期", "会籍结束日期", "终止日期", "失效日期"),
            ("ended on", "end date", "lapsed on", "cancelled on"),
            required=True,
        ),
    )
    return TableSpec("memberships", cols)


# ----------------------------------------------------------------------------- end of memberships


@cache
def get_spec(kind: str, ces_scale: int = 7) -> TableSpec:
    """The :class:`TableSpec` of ``kind``.

    Parameters
    ----------
    kind : {"stores", "complaints", "surveys", "transactions"}
    ces_scale : {5, 7}
        The declared CES scale: 7 for CES 2.0 (Dixon et al. 2013, the sample's), 5 for the
        original CES (Dixon et al. 2010).  Never mixed within one file.

    Examples
    --------
    >>> get_spec("surveys", ces_scale=5).column("ces").hi
    5
    """
    from kit.core.errors import ParameterError

    if kind not in KINDS + OPTIONAL_KINDS:
        known = ", ".join(KINDS + OPTIONAL_KINDS)
        raise ParameterError.from_key("io.error.unknown_kind", column="kind", kind=repr(kind), known=known)
    if ces_scale not in (5, 7):
        raise ParameterError.from_key("io.error.bad_ces_scale", column="ces_scale", value=repr(ces_scale))
    if kind == "stores":
        return _stores()
    if kind == "complaints":
        return _complaints()
    if kind == "surveys":
        return _surveys(ces_scale)
    if kind == "memberships":
        return _memberships()
    return _transactions()


def describe(kind: str, lang: str = "en") -> pd.DataFrame:
    """The data dictionary of ``kind``: one row per canonical column with its aliases and rules.

    Examples
    --------
    >>> describe("transactions").loc[0, "column"]
    'transaction_id'
    """
    rows = []
    for c in get_spec(kind).columns:
        rng = (
            ""
            if c.lo is None and c.hi is None
            else f"{'' if c.lo is None else int(c.lo)}–{'' if c.hi is None else int(c.hi)}"
        )
        if c.positive:
            rng = "> 0"
        allowed = ", ".join(labels(c.codes, "en")) if c.codes else rng
        rows.append(
            {
                "column": c.name,
                "header_zh": c.label_zh,
                "aliases": " / ".join(c.aliases_zh[1:] + c.aliases_en),
                "type": c.type,
                "required": c.required,
                "value_required": c.nonnull,
                "unique": c.unique,
                "allowed": allowed,
            }
        )
    frame = pd.DataFrame(rows)
    if lang == "zh":
        frame = frame.rename(
            columns={
                "column": "列名",
                "header_zh": "中文表头",
                "aliases": "其他表头",
                "type": "类型",
                "required": "必需列",
                "value_required": "必填",
                "unique": "唯一",
                "allowed": "允许值",
            }
        )
    return frame


# ----------------------------------------------------------------------------- headers


def norm_header(text: Any) -> str:
    """A header in comparable form: NFKC (full-width → half-width), lower case, no spaces,
    underscores, hyphens, dots or brackets.

    >>> norm_header(" Store_ID（门店） ")
    'storeid门店'
    """
    s = unicodedata.normalize("NFKC", str(text)).lower().replace("\ufeff", "")
    return re.sub(r"[\s_\-\.()\[\]【】:：/]+", "", s)


@cache
def alias_index(kind: str, ces_scale: int = 7) -> dict[str, str]:
    """``{normalised header: canonical name}`` for every built-in alias of ``kind``."""
    index: dict[str, str] = {}
    for col in get_spec(kind, ces_scale).columns:
        for alias in (col.name, *col.aliases_zh, *col.aliases_en):
            key = norm_header(alias)
            if index.get(key, col.name) != col.name:
                raise RuntimeError(f"alias {alias!r} of {kind} is used by {index[key]} and {col.name}")
            index[key] = col.name
    return index


@dataclass(frozen=True)
class HeaderResolution:
    """How a file's headers map to canonical columns.

    Attributes
    ----------
    mapping : dict
        ``{header as in the file: canonical name}`` for every recognised header.
    unmapped : list of str
        Headers that are not canonical columns (kept as extra text columns).
    missing : list of str
        Required canonical columns no header maps to.
    duplicates : dict
        ``{canonical: [headers]}`` when several headers map to one column.
    suggestions : dict
        ``{missing canonical: closest unmapped header}`` (difflib), for the error message.
    """

    mapping: dict[str, str]
    unmapped: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    duplicates: dict[str, list[str]] = field(default_factory=dict)
    suggestions: dict[str, str] = field(default_factory=dict)


def resolve_headers(
    headers: Iterable[str],
    spec: TableSpec,
    user: dict[str, str] | None = None,
    *,
    provided: Iterable[str] = (),
    fits: Callable[[str, Column], bool] | None = None,
) -> HeaderResolution:
    """Match ``headers`` to the canonical columns of ``spec``.

    A user mapping (``{header: canonical}``) wins over the built-in aliases.

    Parameters
    ----------
    provided : iterable of str
        Canonical columns given otherwise (a constant of the mapping file): never missing.
    fits : callable, optional
        ``fits(header, column)`` says whether the header's values could be the column's (a
        date column is no suggestion for an amount); only fitting headers are suggested.

    Examples
    --------
    >>> r = resolve_headers(["编号", "创建日期"], get_spec("complaints"), {"编号": "complaint_id"})
    >>> r.mapping, r.suggestions["created_at"]
    ({'编号': 'complaint_id'}, '创建日期')
    """
    index = alias_index(spec.kind, _ces_of(spec))
    user_norm = {norm_header(k): v for k, v in (user or {}).items()}
    mapping: dict[str, str] = {}
    unmapped: list[str] = []
    for header in headers:
        key = norm_header(header)
        target = user_norm.get(key) or index.get(key)
        if target:
            mapping[header] = target
        else:
            unmapped.append(header)
    seen: dict[str, list[str]] = {}
    for header, target in mapping.items():
        seen.setdefault(target, []).append(header)
    duplicates = {k: v for k, v in seen.items() if len(v) > 1}
    given = set(provided)
    missing = [c for c in spec.required if c not in seen and c not in given]
    suggestions: dict[str, str] = {}
    for name in missing:
        col = spec.column(name)
        best, score = None, 0.0
        for header in unmapped:
            if fits is not None and not fits(header, col):
                continue
            for alias in (col.name, *col.aliases_zh, *col.aliases_en):
                ratio = difflib.SequenceMatcher(None, norm_header(header), norm_header(alias)).ratio()
                if ratio > score:
                    best, score = header, ratio
        if best is not None and score >= 0.5:
            suggestions[name] = best
    return HeaderResolution(mapping, unmapped, missing, duplicates, suggestions)


def _ces_of(spec: TableSpec) -> int:
    return int(spec.column("ces").hi) if spec.kind == "surveys" else 7


# ----------------------------------------------------------------------------- values


def norm_value(text: Any) -> str:
    """A code value in comparable form: NFKC, lower case, single spaces, no ``_``/``-``."""
    s = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return re.sub(r"[\s_\-]+", " ", s)


_EXTRA_SYNONYMS = {
    "channel": {
        "phone": ("电话", "热线", "热线电话", "hotline", "telephone", "call"),
        "email": ("邮件", "电邮", "e mail", "mail"),
        "chat": ("在线", "在线咨询", "网页客服", "web chat", "live chat"),
        "in_store": ("门店", "到店", "现场", "in store", "store"),
        "app": ("应用", "小程序", "mobile app"),
        "social": ("社交", "微博", "social"),
    },
    "tier": {
        "urgent": ("紧急", "加急"),
        "normal": ("一般", "普通", "常规"),
        "inquiry": ("询问", "enquiry", "question"),
    },
    "approver_role": {
        "frontline": ("一线", "店员", "员工", "staff", "front line"),
        "supervisor": ("主管", "组长"),
        "manager": ("店长", "经理"),
    },
}


@cache
def code_table(group: str) -> dict[str, str]:
    """``{normalised value: code}`` accepted for a code group (codes, zh and en labels, synonyms).

    >>> code_table("channel")[norm_value("电话")]
    'phone'
    """
    table: dict[str, str] = {}
    for lang in ("en", "zh"):
        for code, text in labels(group, lang).items():
            table[norm_value(code)] = code
            table[norm_value(text)] = code
    for code, words in _EXTRA_SYNONYMS.get(group, {}).items():
        for w in words:
            table.setdefault(norm_value(w), code)
    return table


@cache
def category_table() -> dict[str, str]:
    """``{normalised value: category code}`` for the known complaint categories."""
    return code_table("category")


_YES = ("1", "1.0", "是", "yes", "y", "true", "t", "已重开", "重开")
_NO = ("0", "0.0", "否", "no", "n", "false", "f", "未重开")

#: Problems found by :func:`check_frame`: one row per bad cell.
PROBLEM_COLUMNS = ["pos", "column", "value", "reason", "reason_zh", "reason_en", "detail"]


def reason_text(code: str, lang: str, **values: Any) -> str:
    """The text of a reject reason (``kit/locale/io.yaml`` → ``io.reason.<code>``)."""
    return t(f"io.reason.{code}", lang, **values)


def _subset_text(values: pd.Series | np.ndarray | None, pos: np.ndarray) -> np.ndarray:
    """The values at ``pos`` as text (only the flagged cells are formatted)."""
    if values is None:
        return np.full(len(pos), "", dtype=object)
    arr = values.iloc[pos] if isinstance(values, pd.Series) else pd.Series(np.asarray(values, dtype=object)[pos])
    return arr.astype("str").fillna("").to_numpy(dtype=object)


class _Problems:
    """Collects bad cells as whole-column masks."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.parts: list[pd.DataFrame] = []

    def add(
        self,
        mask: np.ndarray,
        column: str,
        values: pd.Series | np.ndarray | None,
        reason: str,
        detail: pd.Series | np.ndarray | None = None,
        **fmt: Any,
    ) -> None:
        pos = np.flatnonzero(mask)
        if len(pos) == 0:
            return
        shown = _subset_text(values, pos)
        extra = _subset_text(detail, pos)
        self.parts.append(
            pd.DataFrame(
                {
                    "pos": pos,
                    "column": column,
                    "value": shown,
                    "reason": reason,
                    "reason_zh": reason_text(reason, "zh", **fmt),
                    "reason_en": reason_text(reason, "en", **fmt),
                    "detail": extra,
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame({c: pd.Series(dtype="int64" if c == "pos" else "str") for c in PROBLEM_COLUMNS})
        return pd.concat(self.parts, ignore_index=True)


def _text(values: pd.Series) -> pd.Series:
    """Values as stripped text; empty → missing."""
    if pd.api.types.is_float_dtype(values.dtype):  # e.g. ids read from parquet as 1.0
        as_int = values.round()
        if bool(((as_int == values) | values.isna()).all()):
            values = values.astype("Int64")
    s = values.astype("str") if values.dtype != "str" else values
    s = s.str.strip()
    return s.mask(s == "")


def _numbers(values: pd.Series, decimal: str = ".") -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """-> (float values, present, bad, decimal comma) for text or numeric input.

    ``¥``, ``元`` and spaces are ignored.  With ``decimal="."`` a comma is a thousands separator
    only in a whole grouping (``1,280.50``); any other comma (``12,5``) is flagged in the fourth
    array, never read as 125.  With ``decimal=","``, ``12,5`` is 12.5 and ``1.280,50`` 1280.5.
    """
    n = len(values)
    no_comma = np.zeros(n, bool)
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        nums = values.to_numpy(dtype="float64", na_value=np.nan)
        present = ~np.isnan(nums)
        return nums, present, no_comma, no_comma
    if decimal == "." and isinstance(values.array, pd.arrays.ArrowStringArray):
        try:  # fast path: Arrow's cast of the raw text, all or nothing
            arrow = values.array._pa_array
            cast = pc.cast(arrow, pa.float64())
            nums = np.asarray(cast.to_numpy(zero_copy_only=False), dtype="float64")
            present = np.asarray(pc.is_valid(cast).to_numpy(zero_copy_only=False), dtype=bool)
            return nums, present, present & ~np.isfinite(nums), no_comma
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
    text = _text(values)
    present = text.notna().to_numpy()
    cleaned = text.str.replace(r"[¥￥元$€£\s]", "", regex=True).str.replace("，", ",", regex=False)
    if decimal == ",":
        grouped = cleaned.str.fullmatch(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?").fillna(False)
        cleaned = cleaned.where(~grouped, cleaned.str.replace(".", "", regex=False))
        cleaned = cleaned.str.replace(",", ".", regex=False)
        comma = no_comma
    else:
        has_comma = cleaned.str.contains(",", regex=False).fillna(False).to_numpy(dtype=bool)
        grouped = cleaned.str.fullmatch(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?").fillna(False).to_numpy(dtype=bool)
        comma = present & has_comma & ~grouped
        cleaned = cleaned.str.replace(",", "", regex=False)
    nums = np.array(pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype="float64", na_value=np.nan), dtype="float64")
    nums[comma] = np.nan
    bad = present & ~np.isfinite(nums) & ~comma
    return nums, present, bad, comma


#: Durations of the mapping file's ``durations:`` section: seconds per unit.
DURATION_UNITS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
#: The longest store id (it names a folder of the run).
SAFE_NAME_MAX = 64
_UNSAFE_NAME = r'[/\\\x00-\x1f\x7f<>:"|?*]|\.\.|^\.|\.$'


def _hours(text: pd.Series) -> tuple[np.ndarray, pd.Series, np.ndarray]:
    """Opening hours ``H:MM-H:MM`` -> (valid, normalised ``HH:MM-HH:MM``, opens and closes at the same time).

    Hours run to 24:00.  A range past midnight, ``22:00-02:00``, is the same daily schedule as
    ``00:00-02:00,22:00-24:00`` and is written so (the form the business-hours calendar reads).
    """
    parts = text.str.extract(r"^(\d{1,2})[:：](\d{2})\s*[-–—~～至到]\s*(\d{1,2})[:：](\d{2})$")
    nums = parts.apply(pd.to_numeric, errors="coerce")
    h1, m1, h2, m2 = (nums[i].to_numpy(dtype="float64") for i in range(4))
    with np.errstate(invalid="ignore"):
        clock = lambda h, m: (h < 24) & (m < 60) | (h == 24) & (m == 0)  # noqa: E731
        ok = ~np.isnan(h1) & ~np.isnan(h2) & ~np.isnan(m1) & ~np.isnan(m2) & clock(h1, m1) & clock(h2, m2)
        same = ok & (h1 * 60 + m1 == h2 * 60 + m2)
        ok &= ~((h1 == 24) & (h2 * 60 + m2 < 24 * 60))  # opening at 24:00 and closing after it
    fmt = nums.fillna(0).astype(int).astype(str)
    opens = fmt[0].str.zfill(2) + ":" + fmt[1].str.zfill(2)
    closes = fmt[2].str.zfill(2) + ":" + fmt[3].str.zfill(2)
    overnight = ok & ~same & (h2 * 60 + m2 < h1 * 60 + m1)
    night = ("00:00-" + closes + "," + opens + "-24:00").where(closes != "00:00", opens + "-24:00")
    conv = (opens + "-" + closes).where(~overnight, night).where(ok & ~same, text)
    return ok & ~same, conv.astype("str"), same


def values_fit(values: pd.Series, col: Column) -> bool:
    """Could ``values`` (a header's values; the first 50 are looked at) be the values of ``col``?

    Used to suggest a header for a missing column: a column of dates is no suggestion for an
    amount, a column of amounts none for a date.

    Examples
    --------
    >>> values_fit(pd.Series(["2026-03-05", "2026-03-06"]), get_spec("transactions").column("amount"))
    False
    >>> values_fit(pd.Series(["12.5", "1,280"]), get_spec("transactions").column("amount"))
    True
    """
    sample = _text(values.dropna().head(50))
    sample = sample[sample.notna()]
    if sample.empty:
        return True
    n = len(sample)
    dates = int((~parse_datetimes(sample).bad & sample.notna().to_numpy()).sum())
    if col.type in ("timestamp", "date"):
        return dates >= 0.8 * n
    nums, present, bad, comma = _numbers(sample)
    numeric = int((present & ~bad & ~comma).sum())
    if col.type in ("int", "float"):
        return numeric >= 0.8 * n and dates < 0.8 * n
    if col.type == "code":
        table = code_table(col.codes)
        return sum(norm_value(v) in table for v in sample) >= 0.5 * n
    if col.type == "yesno":
        return sample.str.lower().isin(_YES + _NO).sum() >= 0.8 * n
    return dates < 0.8 * n or numeric == n  # ids, text: anything but a column of dates


def check_frame(
    frame: pd.DataFrame,
    spec: TableSpec,
    *,
    store_ids: Iterable[str] | None = None,
    where: Callable[[np.ndarray], np.ndarray] | None = None,
    value_map: dict[str, dict[str, str]] | None = None,
    formats: dict[str, str] | None = None,
    durations: dict[str, tuple[str, str]] | None = None,
    decimal: str = ".",
    info: dict[str, Any] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, list[tuple[str, str]]]:
    """Convert ``frame`` (canonical column names) to canonical types and find every bad cell.

    Parameters
    ----------
    frame : DataFrame
        Raw values (text, or typed from parquet/xlsx) under canonical names; other columns are
        kept as they are.
    spec : TableSpec
    store_ids : iterable of str, optional
        Known store ids; when given, ``spec.store_column`` values must be among them (ids
        written without their leading zeros, ``1`` for ``001``, are matched and corrected).
    where : callable, optional
        Given 0-based positions, returns human-readable locations (``"row 5"``); used to say
        where a duplicate id was first seen.
    value_map : dict, optional
        Extra accepted values per code column, ``{"channel": {"微信": "chat"}}``.
    formats : dict, optional
        The declared format of time columns, ``{"created_at": "%m/%d/%Y %H:%M"}`` (see
        :func:`kit.intake.timeparse.parse_datetimes`); values not matching are rejected.
    durations : dict, optional
        ``{time column: (unit, start column)}``: the column holds a number of ``unit``
        (:data:`DURATION_UNITS`) after ``start``, e.g. minutes to the first response; a
        negative or non-numeric duration is rejected.
    decimal : {".", ","}
        The decimal separator of numbers written as text (see :func:`_numbers`).
    info : dict, optional
        Filled with ``date_only``: the time columns whose values carry no time of day.

    Returns
    -------
    data : DataFrame
        All rows, converted; canonical columns first (missing optional ones added empty).
    problems : DataFrame
        One row per bad cell: ``pos`` (0-based position in ``frame``), ``column``, ``value``,
        ``reason`` (code), ``reason_zh``, ``reason_en``, ``detail``.
    notes : list of (zh, en)
        Corrections made that the user should know about.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"response_id": ["R1", "R2"], "date": ["2026-03-05", "2026/3/6"],
    ...                     "store_id": ["001", "001"], "nps": ["11", "9"], "csat": ["0", "5"]})
    >>> data, problems, _ = check_frame(raw, get_spec("surveys"))
    >>> problems[["pos", "column", "reason"]].values.tolist()
    [[0, 'nps', 'out_of_range'], [0, 'csat', 'out_of_range']]
    """
    n = len(frame)
    probs = _Problems(n)
    notes: list[tuple[str, str]] = []
    out: dict[str, Any] = {}
    value_map = value_map or {}
    formats = formats or {}
    durations = durations or {}
    date_only: list[str] = []
    pending: dict[str, np.ndarray] = {}
    for col in spec.columns:
        if col.name not in frame.columns:
            out[col.name] = _empty(col, n, frame.index)
            continue
        raw = frame[col.name]
        if col.name in durations:  # a number of minutes (...) after another time column
            nums, present, bad, comma = _numbers(raw, decimal)
            probs.add(bad, col.name, raw, "bad_number")
            probs.add(comma, col.name, raw, "decimal_comma")
            negative = present & ~bad & ~comma & (nums < 0)
            probs.add(negative, col.name, raw, "negative_duration")
            pending[col.name] = np.where(present & ~bad & ~comma & ~negative, nums, np.nan)
            out[col.name] = _empty(col, n, frame.index)
            continue
        if col.type in ("id", "text"):
            conv = _text(raw)
            present = conv.notna().to_numpy()
        elif col.type == "code":
            conv, present = _codes(raw, col, probs, value_map.get(col.name, {}))
        elif col.type == "category":
            conv = _text(raw)
            present = conv.notna().to_numpy()
            table = dict(category_table())
            table.update({norm_value(k): v for k, v in value_map.get(col.name, {}).items()})
            code = _lookup(conv, lambda u, table=table: table.get(norm_value(u)))
            out["_category_code"] = code.where(code.notna(), conv)
            zh = labels("category", "zh")
            conv = _lookup(code, zh.get).where(code.notna(), conv)
        elif col.type in ("int", "float"):
            nums, present, bad, comma = _numbers(raw, decimal)
            probs.add(bad, col.name, raw, "bad_number")
            probs.add(comma, col.name, raw, "decimal_comma")
            ok = present & ~bad & ~comma
            if col.type == "int":
                frac = ok & (np.round(nums) != nums)
                probs.add(frac, col.name, raw, "not_integer")
                ok &= ~frac
            if col.lo is not None and col.lo == 0 and col.hi is None:
                probs.add(ok & (nums < 0), col.name, raw, "negative")
                ok &= ~(nums < 0)
            elif col.lo is not None or col.hi is not None:
                lo = -np.inf if col.lo is None else col.lo
                hi = np.inf if col.hi is None else col.hi
                outside = ok & ((nums < lo) | (nums > hi))
                probs.add(
                    outside,
                    col.name,
                    raw,
                    "out_of_range" if col.hi is not None else "too_small",
                    lo=_fmt(col.lo),
                    hi=_fmt(col.hi),
                )
                ok &= ~outside
            if col.positive:
                zero = ok & (nums <= 0)
                probs.add(zero, col.name, raw, "not_positive")
                ok &= ~zero
            if col.type == "int":
                conv = pd.Series(
                    pd.array(np.where(ok, np.round(np.nan_to_num(nums)), 0).astype("int64"), dtype="Int64"),
                    index=frame.index,
                )
                conv[~ok] = pd.NA
            else:
                conv = pd.Series(np.where(ok, nums, np.nan), index=frame.index)
        elif col.type == "yesno":
            text = _text(raw)
            present = text.notna().to_numpy()
            low = text.str.lower()
            yes = low.isin(_YES).to_numpy()
            no = low.isin(_NO).to_numpy()
            probs.add(present & ~yes & ~no, col.name, raw, "bad_yes_no")
            conv = pd.Series(pd.array(np.where(yes, 1, 0), dtype="Int64"), index=frame.index)
            conv[~(yes | no)] = pd.NA
        elif col.type in ("timestamp", "date"):
            declared = formats.get(col.name)
            parsed = parse_datetimes(raw, format=declared)
            if declared:
                probs.add(parsed.bad, col.name, raw, "bad_date_format", format=declared)
            else:
                probs.add(parsed.bad, col.name, raw, "bad_date")
            conv = parsed.values
            present = conv.notna().to_numpy() | parsed.bad
            if col.type == "timestamp" and parsed.date_only:
                date_only.append(col.name)
        elif col.type == "hours":
            text = _text(raw)
            present = text.notna().to_numpy()
            ok, conv, same = _hours(text)
            probs.add(present & same, col.name, raw, "hours_no_length")
            probs.add(present & ~ok & ~same, col.name, raw, "bad_hours")
        else:  # pragma: no cover - the specs only use the types above
            raise ValueError(col.type)
        if col.nonnull:
            if col.type in ("timestamp", "date"):
                missing = conv.isna().to_numpy() & ~parsed.bad
            else:
                missing = ~present
            probs.add(missing, col.name, None, "missing_value")
        if col.safe_name:
            unsafe = (conv.str.contains(_UNSAFE_NAME, regex=True) | (conv.str.len() > SAFE_NAME_MAX)).fillna(False)
            probs.add(unsafe.to_numpy(dtype=bool), col.name, raw, "unsafe_id", limit=SAFE_NAME_MAX)
        out[col.name] = conv

    # Durations: the time = the start column's time + the number of units.
    for name, values in pending.items():
        unit, start = durations[name]
        begin = out[start]
        micro = np.round(np.nan_to_num(values) * DURATION_UNITS[unit] * 1_000_000).astype("int64")
        stamps = begin.to_numpy(dtype=UNIT) + micro.astype("timedelta64[us]")
        stamps[np.isnan(values)] = np.datetime64("NaT")
        out[name] = pd.Series(stamps, index=frame.index)
        if spec.column(name).nonnull:
            probs.add(np.isnan(values) & frame[name].isna().to_numpy(), name, None, "missing_value")
        got = out[name].dropna()
        if start in date_only and len(got) and bool((got == got.dt.normalize()).all()):
            date_only.append(name)
    if info is not None:
        info["date_only"] = [c for c in spec.names if c in date_only]

    if spec.one_of:
        present_any = np.zeros(n, dtype=bool)
        have = [c for c in spec.one_of if c in frame.columns]
        for c in have:
            present_any |= frame[c].notna().to_numpy() & (_text(frame[c]).notna().to_numpy())
        if have:
            probs.add(~present_any, "", None, "no_scores")

    # Complaint categories: the Chinese label in ``category``, the code in ``category_en``.
    code = out.pop("_category_code", None)
    if code is not None and "category_en" in out:
        given = out["category_en"]
        out["category_en"] = (
            given.where(given.notna(), code).astype("str") if given.notna().any() else code.astype("str")
        )

    data = pd.DataFrame(out, index=frame.index)
    extras = [c for c in frame.columns if c not in out]
    for c in extras:
        data[c] = frame[c]

    for col in spec.columns:
        if col.unique:
            s = data[col.name]
            dup = (s.duplicated(keep="first") & s.notna()).to_numpy()
            if dup.any():
                detail = None
                if where is not None:
                    first_pos = (
                        pd.Series(np.arange(n)).groupby(s.to_numpy(), sort=False, dropna=True).transform("first")
                    )
                    detail = np.full(n, "", dtype=object)
                    detail[dup] = where(first_pos.to_numpy()[dup].astype("int64"))
                probs.add(dup, col.name, s, "duplicate_id", detail=detail)

    if "created_at" in data and spec.after_created:
        created = data["created_at"]
        for name in spec.after_created:
            before = (data[name] < created).fillna(False).to_numpy(dtype=bool)
            if before.any():
                probs.add(before, name, data[name], "before_created", detail="created_at " + created.astype("str"))

    if store_ids is not None and spec.store_column and spec.store_column in frame.columns:
        known = pd.Index(pd.Series(list(store_ids), dtype="str").dropna().unique())
        ids = data[spec.store_column]
        unknown = (ids.notna() & ~ids.isin(known)).to_numpy()
        if unknown.any():
            width = known.str.len()
            if len(known) and known.str.fullmatch(r"\d+").all() and width.min() == width.max():
                padded = ids.str.zfill(int(width.max()))
                fixable = (
                    unknown
                    & ids.str.fullmatch(r"\d+").fillna(False).to_numpy(dtype=bool)
                    & padded.isin(known).to_numpy()
                )
                if fixable.any():
                    data[spec.store_column] = ids.where(~fixable, padded)
                    unknown = unknown & ~fixable
                    fixed = int(fixable.sum())
                    notes.append(
                        (t("io.chain.leading_zeros", "zh", n=fixed), t("io.chain.leading_zeros", "en", n=fixed))
                    )
            probs.add(unknown, spec.store_column, ids, "unknown_store")
    return data, probs.frame(), notes


def _fmt(x: float | None) -> str:
    return "" if x is None else (str(int(x)) if float(x).is_integer() else str(x))


def _empty(col: Column, n: int, index: pd.Index) -> pd.Series:
    if col.type in ("timestamp", "date"):
        return pd.Series(np.full(n, np.datetime64("NaT"), dtype="datetime64[us]"), index=index)
    if col.type in ("int", "yesno"):
        return pd.Series(pd.NA, index=index, dtype="Int64")
    if col.type == "float":
        return pd.Series(np.nan, index=index, dtype="float64")
    return pd.Series(pd.NA, index=index, dtype="str")


def _lookup(text: pd.Series, fn: Callable[[str], str | None]) -> pd.Series:
    """Apply ``fn`` once per *distinct* value of ``text`` (factorize + take; no per-row Python)."""
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    mapped = np.array([fn(u) for u in uniques] + [None], dtype=object)
    return pd.Series(mapped[codes], index=text.index, dtype="str")


def _codes(raw: pd.Series, col: Column, probs: _Problems, extra: dict[str, str]) -> tuple[pd.Series, np.ndarray]:
    """Map code values (codes, zh/en labels, synonyms, user ``extra``) to codes; flag unknowns."""
    text = _text(raw)
    present = text.notna().to_numpy()
    table = dict(code_table(col.codes))
    table.update({norm_value(k): v for k, v in extra.items()})
    codes = _lookup(text, lambda u: table.get(norm_value(u)))
    unknown = present & codes.isna().to_numpy()
    allowed = ", ".join(f"{code} {zh}" for code, zh in labels(col.codes, "zh").items())
    probs.add(unknown, col.name, raw, "unknown_code", allowed=allowed)
    return codes, present
