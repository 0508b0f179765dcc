"""A deterministic synthetic retail chain to learn on and to test with.

``kit sample --stores 12 --months 12 --seed 7 --out data/sample`` writes four CSV files that look
like what a real chain exports (see ``data/README.md`` for every column):

``stores.csv``        one row per store: id, names, city, region, opening hours, time zone;
``complaints.csv``    one row per complaint, with timestamps, channel, tier, category,
                      compensation, follow-up, satisfaction and (synthetic) personal data;
``surveys.csv``       one row per survey response: NPS, CSAT, CES, SERVQUAL and KANO answers;
``transactions.csv``  one row per purchase;

and, when one of the stores runs a paid yearly membership programme (stores 003, 005, 007,
010 and 012 of every twelve), a fifth:

``memberships.csv``   one row per membership: joining date and, if it lapsed, its end.

Stores differ on purpose -- excellent, average and poor stores, improving and declining ones,
seasonal peaks (Spring Festival, 618, Double 11) -- so that every report tells its own story.
The same seed always gives byte-identical files.  The four main tables draw on one
:class:`numpy.random.Generator`; the memberships on a second one of their own (seeded from the
same seed), so adding them changed none of the other files.  Every table is built with
whole-array operations.

Examples
--------
>>> chain = generate_chain(stores=2, months=1, seed=1)
>>> sorted(chain)
['complaints', 'memberships', 'stores', 'surveys', 'transactions']
>>> chain["stores"]["store_id"].tolist()
['001', '002']
>>> len(chain["memberships"])  # stores 001 and 002 have no membership programme
0
>>> sorted(generate_chain(stores=3, months=1, seed=1)["memberships"]["store_id"].unique())
['003']
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import ndtri

from kit.core.errors import ParameterError
from kit.core.files import write_csv

__all__ = [
    "ARCHETYPES",
    "CATEGORIES",
    "CATEGORY_BASE_P",
    "CHANNELS",
    "CHANNEL_P",
    "ChainSpec",
    "SAMPLE_MONTHS",
    "SAMPLE_START",
    "EMAIL_TARGET_MIN",
    "GIVEN",
    "KANO_FEATURES",
    "LOCATIONS",
    "MEMBERSHIP_STORES",
    "MEMBERSHIP_YEARS_BEFORE",
    "REGIONS",
    "SEASON",
    "SERVQUAL_DIMENSIONS",
    "SERVQUAL_ITEM_DIM",
    "SURNAMES",
    "TIERS",
    "TIER_P",
    "TIER_TARGET_MIN",
    "generate_chain",
    "write_chain",
]

#: Synthetic store locations: (city zh, city en, district zh, district en, region code).
#: What ``kit sample`` and ``make demo`` write: two years, so that the demo's year (the second) has a
#: previous year -- trends, movers and the previous-period sheet of ``kpis.xlsx`` have data.
SAMPLE_START = date(2025, 1, 1)
SAMPLE_MONTHS = 24

LOCATIONS = [
    ("上海", "Shanghai", "徐汇", "Xuhui", "east"),
    ("杭州", "Hangzhou", "西湖", "Xihu", "east"),
    ("南京", "Nanjing", "鼓楼", "Gulou", "east"),
    ("北京", "Beijing", "朝阳", "Chaoyang", "north"),
    ("天津", "Tianjin", "和平", "Heping", "north"),
    ("广州", "Guangzhou", "天河", "Tianhe", "south"),
    ("深圳", "Shenzhen", "南山", "Nanshan", "south"),
    ("成都", "Chengdu", "锦江", "Jinjiang", "west"),
    ("重庆", "Chongqing", "渝中", "Yuzhong", "west"),
    ("苏州", "Suzhou", "姑苏", "Gusu", "east"),
    ("厦门", "Xiamen", "思明", "Siming", "south"),
    ("青岛", "Qingdao", "市南", "Shinan", "north"),
]

REGIONS = {
    "east": ("华东", "East China"),
    "north": ("华北", "North China"),
    "south": ("华南", "South China"),
    "west": ("西南", "Southwest China"),
}

#: Store archetypes cycled over the stores: (name, first-response attainment at start, at end,
#: quality of handling 0..1, complaint volume factor).
ARCHETYPES = [
    ("excellent", 0.97, 0.98, 0.90, 0.7),
    ("declining", 0.93, 0.66, 0.55, 1.0),
    ("average", 0.86, 0.87, 0.60, 1.0),
    ("improving", 0.62, 0.95, 0.70, 1.2),
    ("poor", 0.68, 0.70, 0.30, 1.4),
    ("good", 0.92, 0.94, 0.80, 0.9),
]

CHANNELS = np.array(["phone", "email", "chat", "in_store", "app", "social"])
CHANNEL_P = np.array([0.25, 0.12, 0.20, 0.23, 0.12, 0.08])
TIERS = np.array(["urgent", "normal", "inquiry"])
TIER_P = np.array([0.15, 0.55, 0.30])
#: Category codes with their Chinese names as written in the complaints file.
CATEGORIES = {
    "product_quality": "产品质量",
    "service_attitude": "服务态度",
    "waiting_time": "等候时间过长",
    "price_billing": "价格与收费",
    "delivery": "配送延误",
    "return_refund": "退换货",
    "stock_out": "商品缺货",
    "store_environment": "门店环境",
    "staff_knowledge": "专业知识不足",
    "membership": "会员与积分",
    "other": "其他",
}
CATEGORY_BASE_P = np.array([0.20, 0.16, 0.13, 0.09, 0.08, 0.10, 0.07, 0.05, 0.05, 0.04, 0.03])
#: Seed default first-response targets in minutes by tier; e-mail is answered within 24 h.
TIER_TARGET_MIN = {"urgent": 30, "normal": 120, "inquiry": 120}
EMAIL_TARGET_MIN = 24 * 60
#: Seasonal load by calendar month (Spring Festival, 618, Double 11, year-end).
SEASON = np.array([1.30, 1.35, 0.95, 0.90, 0.95, 1.20, 0.95, 0.90, 0.95, 1.00, 1.50, 1.25])

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = list(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉晶晨宇浩然子涵梓轩欣怡思远雨桐嘉琪佳慧俊博文昊天"
)

#: KANO features asked in the survey, with the category the synthetic answers are drawn from.
KANO_FEATURES = {
    "fast_response": "M",
    "clear_compensation_policy": "M",
    "personalised_solution": "O",
    "progress_updates": "O",
    "proactive_follow_up": "A",
    "remember_preferences": "A",
    "gift_wrapping": "I",
}
#: Stores (0-based position modulo 12) that run a paid yearly membership programme: 003, 005, 007, 010, 012.
MEMBERSHIP_STORES = (2, 4, 6, 9, 11)
#: The programmes started this many calendar years before the first year of the sample.
MEMBERSHIP_YEARS_BEFORE = 6
SERVQUAL_DIMENSIONS = ["tangibles", "reliability", "responsiveness", "assurance", "empathy"]
SERVQUAL_ITEM_DIM = np.repeat(np.arange(5), [4, 5, 4, 4, 5])  # items 1-4, 5-9, 10-13, 14-17, 18-22


@dataclass(frozen=True)
class ChainSpec:
    """What to generate: number of stores, months from ``start``, random seed."""

    stores: int = 12
    months: int = 12
    seed: int = 7
    start: date = date(2026, 1, 1)

    def __post_init__(self) -> None:
        if not 1 <= self.stores <= 999:
            raise ParameterError.from_key("io.error.bad_sample_stores", column="stores")
        if not 1 <= self.months <= 120:
            raise ParameterError.from_key("io.error.bad_sample_months", column="months")

    @property
    def period_end(self) -> pd.Timestamp:
        """The last second of the generated period: later timestamps are left blank (open tickets)."""
        return pd.Timestamp(self.start) + pd.DateOffset(months=self.months) - pd.Timedelta(seconds=1)


def _stores(spec: ChainSpec, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = spec.stores
    idx = np.arange(n)
    loc = [LOCATIONS[i % len(LOCATIONS)] for i in idx]
    suffix = [f"{i // len(LOCATIONS) + 1}" if i >= len(LOCATIONS) else "" for i in idx]
    opens = np.where(idx % 3 == 0, "09:00", "10:00")
    closes = np.where(idx % 4 == 1, "21:00", "22:00")
    stores = pd.DataFrame(
        {
            "store_id": [f"{i + 1:03d}" for i in idx],
            "store_name_zh": [f"{c[0]}{c[2]}{s}店" for c, s in zip(loc, suffix)],
            "store_name_en": [f"{c[1]} {c[3]}{' ' + s if s else ''}" for c, s in zip(loc, suffix)],
            "city": [c[0] for c in loc],
            "city_en": [c[1] for c in loc],
            "region": [REGIONS[c[4]][0] for c in loc],
            "region_en": [REGIONS[c[4]][1] for c in loc],
            "opening_hours": [f"{o}-{c}" for o, c in zip(opens, closes)],
            "timezone": "Asia/Shanghai",
            "opened_on": [
                f"{2012 + int(y)}-{int(m):02d}-01" for y, m in zip(rng.integers(0, 12, n), rng.integers(1, 13, n))
            ],
        }
    )
    arche = [ARCHETYPES[i % len(ARCHETYPES)] for i in idx]
    jitter = rng.normal(0, 0.015, size=(n, 2))
    profile = pd.DataFrame(
        {
            "store_id": stores["store_id"],
            "archetype": [a[0] for a in arche],
            "att_start": np.clip([a[1] for a in arche] + jitter[:, 0], 0.3, 0.995),
            "att_end": np.clip([a[2] for a in arche] + jitter[:, 1], 0.3, 0.995),
            "quality": np.clip([a[3] for a in arche] + rng.normal(0, 0.03, n), 0.05, 0.98),
            "volume": np.array([a[4] for a in arche]) * rng.uniform(0.85, 1.15, n),
            "open_h": np.where(idx % 3 == 0, 9, 10),
            "close_h": np.where(idx % 4 == 1, 21, 22),
        }
    )
    return stores, profile


def _customers(spec: ChainSpec, profile: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Customers per store with acquisition month, purchase rate, spend and lifetime (months)."""
    per_store = rng.integers(220, 380, size=len(profile))
    store_idx = np.repeat(np.arange(len(profile)), per_store)
    n = len(store_idx)
    quality = profile["quality"].to_numpy()[store_idx]
    # A third of the customers are already there when the period starts; the rest join over it.
    acq = np.where(rng.random(n) < 0.35, 0, rng.integers(0, spec.months, n))
    churn = np.clip(0.16 - 0.10 * quality + rng.normal(0, 0.02, n), 0.02, 0.4)
    lifetime = rng.geometric(churn)  # months alive, >= 1
    surname = rng.integers(0, len(SURNAMES), n)
    g1 = rng.integers(0, len(GIVEN), n)
    g2 = rng.integers(0, len(GIVEN), n)
    two = rng.random(n) < 0.7
    names = np.char.add(np.array(SURNAMES)[surname], np.array(GIVEN)[g1])
    names = np.where(two, np.char.add(names, np.array(GIVEN)[g2]), names)
    prefix = rng.choice(np.array(["138", "139", "135", "136", "150", "151", "158", "186", "188", "177", "199"]), n)
    phone = np.char.add(prefix, np.char.zfill(rng.integers(0, 10**8, n).astype(str), 8))
    return pd.DataFrame(
        {
            "customer_id": [f"K{i + 1:06d}" for i in range(n)],
            "store_idx": store_idx,
            "acq": acq,
            "lifetime": lifetime,
            "rate": rng.gamma(shape=1.2, scale=0.9, size=n),  # purchases per month while alive
            "spend": rng.gamma(shape=4.0, scale=60.0, size=n) + 20.0,  # mean basket in yuan
            "name": names,
            "phone": phone,
        }
    )


def _attainment(profile: pd.DataFrame, store_idx: np.ndarray, month: np.ndarray, months: int) -> np.ndarray:
    frac = month / max(months - 1, 1)
    start = profile["att_start"].to_numpy()[store_idx]
    end = profile["att_end"].to_numpy()[store_idx]
    return start + (end - start) * frac


def _complaints(
    spec: ChainSpec, profile: pd.DataFrame, customers: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    n_stores, months = len(profile), spec.months
    s_idx, m_idx = np.meshgrid(np.arange(n_stores), np.arange(months), indexing="ij")
    s_idx, m_idx = s_idx.ravel(), m_idx.ravel()
    month_start = pd.Timestamp(spec.start)
    cal_month = (spec.start.month - 1 + m_idx) % 12
    lam = 38 * profile["volume"].to_numpy()[s_idx] * SEASON[cal_month]
    counts = rng.poisson(lam)
    store_idx = np.repeat(s_idx, counts)
    month = np.repeat(m_idx, counts)
    n = len(store_idx)

    starts = pd.DatetimeIndex([month_start + pd.DateOffset(months=int(k)) for k in range(months + 1)])
    days_in = (starts[1:] - starts[:-1]).days.to_numpy()
    day = np.floor(rng.random(n) * days_in[month]).astype(int)
    channel = rng.choice(CHANNELS, n, p=CHANNEL_P)
    tier = rng.choice(TIERS, n, p=TIER_P)
    # In-store complaints happen while the store is open; the others mostly 08:00-23:00.
    open_h = profile["open_h"].to_numpy()[store_idx]
    close_h = profile["close_h"].to_numpy()[store_idx]
    minute_of_day = np.where(
        channel == "in_store",
        open_h * 60 + rng.random(n) * (close_h - open_h) * 60,
        np.where(rng.random(n) < 0.9, 8 * 60 + rng.random(n) * 15 * 60, rng.random(n) * 24 * 60),
    )
    created = starts[month].to_numpy() + (day * 86400 + np.floor(minute_of_day * 60)).astype("timedelta64[s]")

    # Category mix differs by store: a Dirichlet draw around the chain's base mix.
    store_mix = rng.dirichlet(CATEGORY_BASE_P * 40, size=n_stores)
    cum = np.cumsum(store_mix, axis=1)[store_idx]
    cat_pos = (rng.random(n)[:, None] > cum).sum(axis=1).clip(0, len(CATEGORIES) - 1)
    cat_codes = np.array(list(CATEGORIES))[cat_pos]

    # First response: lognormal around the target, centred so that the store's attainment
    # for the month is what its archetype says (P(X <= target) = attainment).
    target = np.where(channel == "email", EMAIL_TARGET_MIN, pd.Series(tier).map(TIER_TARGET_MIN).to_numpy())
    att = np.clip(_attainment(profile, store_idx, month, months) + rng.normal(0, 0.01, n), 0.2, 0.995)
    sigma = 0.7
    mu = -sigma * ndtri(att)
    first_resp_min = target * np.exp(mu + sigma * rng.standard_normal(n))
    first_resp_min = np.maximum(first_resp_min, 0.5)

    quality = profile["quality"].to_numpy()[store_idx]
    base_h = pd.Series(tier).map({"urgent": 5.0, "normal": 20.0, "inquiry": 2.0}).to_numpy()
    resolve_h = base_h * np.exp(rng.normal(0.9 - 1.2 * quality, 0.8, n))
    contacts = 1 + rng.poisson(np.clip(1.4 - 1.3 * quality, 0.05, None), n)
    reopened = (rng.random(n) < np.clip(0.22 - 0.2 * quality, 0.01, 1)).astype(int)
    contacts = np.where(reopened == 1, np.maximum(contacts, 2), contacts)

    first_response = created + (first_resp_min * 60).astype("timedelta64[s]")
    resolved = first_response + (resolve_h * 3600).astype("timedelta64[s]")
    closed = resolved + (rng.exponential(10, n) * 3600).astype("timedelta64[s]")

    # Compensation: mostly for product, delivery and returns; approval by the role whose limit
    # covers it (front line <= 500, supervisor <= 2000) -- poor stores break the rule sometimes.
    comp_cat = np.isin(cat_codes, ["product_quality", "delivery", "return_refund", "stock_out", "price_billing"])
    has_comp = comp_cat & (rng.random(n) < 0.35) & (tier != "inquiry")
    amount = np.where(has_comp, np.round(np.exp(rng.normal(4.6, 0.9, n)), 0), 0.0)
    role = np.where(
        amount <= 0, "", np.where(amount <= 500, "frontline", np.where(amount <= 2000, "supervisor", "manager"))
    )
    breach = (amount > 500) & (rng.random(n) < (1 - quality) * 0.5)
    role = np.where(breach, "frontline", role)

    # Follow-up call-back after resolution for complaints (not inquiries).
    does_follow = (tier != "inquiry") & (rng.random(n) < 0.35 + 0.6 * quality)
    follow_h = np.exp(rng.normal(np.log(30) - 0.8 * quality, 0.7, n))
    follow_up = resolved + (follow_h * 3600).astype("timedelta64[s]")

    # Resolution satisfaction: better when resolved fast, by a good store, in one contact.
    latent = 2.2 + 2.4 * quality - 0.35 * (contacts - 1) - 0.5 * (resolve_h > 24) + rng.normal(0, 0.8, n)
    satisfaction = np.clip(np.round(latent), 1, 5)
    answered = rng.random(n) < 0.6

    # Customer: one of the store's customers who has joined by then (repeat complainers happen).
    cust_store = customers["store_idx"].to_numpy()
    order = np.argsort(cust_store, kind="stable")
    first = np.searchsorted(cust_store[order], np.arange(n_stores))
    size = np.bincount(cust_store, minlength=n_stores)
    pick = order[first[store_idx] + np.floor(rng.random(n) * size[store_idx]).astype(int)]

    end = np.datetime64(spec.period_end.to_datetime64(), "s")
    frame = pd.DataFrame(
        {
            "created_at": created,
            "store_idx": store_idx,
            "channel": channel,
            "tier": tier,
            "category": pd.Series(cat_codes).map(CATEGORIES).to_numpy(),
            "category_en": cat_codes,
            "first_response_at": first_response,
            "resolved_at": resolved,
            "closed_at": closed,
            "contacts_to_resolve": contacts,
            "reopened": reopened,
            "compensation_amount": amount,
            "approver_role": role,
            "follow_up_at": np.where(does_follow, follow_up, np.datetime64("NaT")),
            "resolution_satisfaction": np.where(answered, satisfaction, np.nan),
            "customer_idx": pick,
        }
    ).sort_values(["created_at", "store_idx"], kind="stable", ignore_index=True)
    # Anything after the end of the period has not happened yet: the ticket is still open.
    for col in ("first_response_at", "resolved_at", "closed_at", "follow_up_at"):
        frame[col] = frame[col].where(frame[col] <= end)
    unresolved = frame["resolved_at"].isna()
    frame.loc[unresolved, ["contacts_to_resolve", "reopened", "resolution_satisfaction"]] = np.nan
    frame.loc[unresolved, "closed_at"] = pd.NaT
    frame = frame[frame["created_at"] <= end].reset_index(drop=True)
    frame.insert(0, "complaint_id", [f"T{i + 1:07d}" for i in range(len(frame))])
    return frame


def _apply_recovery(
    customers: pd.DataFrame, complaints: pd.DataFrame, spec: ChainSpec, rng: np.random.Generator
) -> None:
    """Customers whose complaint went badly often leave soon after; fast fixes keep them.

    This is the service-recovery effect the seeds describe; it gives the loyalty notebook
    something real to find.  Changes ``customers["lifetime"]`` in place.
    """
    hours = (complaints["resolved_at"] - complaints["created_at"]).dt.total_seconds() / 3600
    bad = hours.isna() | (hours > 72) | (complaints["resolution_satisfaction"] <= 2)
    month = (
        (complaints["created_at"].dt.year - spec.start.year) * 12 + complaints["created_at"].dt.month - spec.start.month
    )
    leave = bad & (rng.random(len(complaints)) < 0.5)
    cut = pd.Series(month[leave].to_numpy() + 1, index=complaints.loc[leave, "customer_idx"].to_numpy())
    cut = cut.groupby(level=0).min()
    acq = customers.loc[cut.index, "acq"]
    new_life = np.maximum(cut - acq, 1)
    customers.loc[cut.index, "lifetime"] = np.minimum(customers.loc[cut.index, "lifetime"], new_life)


def _transactions(
    spec: ChainSpec, profile: pd.DataFrame, customers: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    months = spec.months
    alive_months = np.clip(np.minimum(customers["lifetime"], months - customers["acq"]), 0, None).to_numpy()
    cust = np.repeat(np.arange(len(customers)), alive_months)
    offset = np.arange(len(cust)) - np.repeat(np.cumsum(alive_months) - alive_months, alive_months)
    month = customers["acq"].to_numpy()[cust] + offset
    rate = customers["rate"].to_numpy()[cust]
    # Every customer buys in the month they join; later months follow their purchase rate.
    count = np.where(offset == 0, 1 + rng.poisson(rate * 0.5), rng.poisson(rate))
    t_cust = np.repeat(cust, count)
    t_month = np.repeat(month, count)
    starts = pd.DatetimeIndex([pd.Timestamp(spec.start) + pd.DateOffset(months=k) for k in range(months + 1)])
    days_in = (starts[1:] - starts[:-1]).days.to_numpy()
    day = np.floor(rng.random(len(t_cust)) * days_in[t_month]).astype("timedelta64[D]")
    when = starts[t_month].to_numpy().astype("datetime64[D]") + day
    spend = customers["spend"].to_numpy()[t_cust]
    amount = np.round(spend * rng.gamma(6.0, 1 / 6.0, len(t_cust)), 2)
    frame = pd.DataFrame(
        {
            "date": when,
            "customer_id": customers["customer_id"].to_numpy()[t_cust],
            "store_id": profile["store_id"].to_numpy()[customers["store_idx"].to_numpy()[t_cust]],
            "amount": amount,
        }
    ).sort_values(["date", "store_id", "customer_id"], kind="stable", ignore_index=True)
    frame.insert(0, "transaction_id", [f"S{i + 1:08d}" for i in range(len(frame))])
    frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
    return frame


def _likert_from_latent(latent: np.ndarray, low: int, high: int) -> np.ndarray:
    return np.clip(np.round(latent), low, high).astype(int)


def _kano_answers(category: str, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Functional / dysfunctional answers (1 like, 2 must-be, 3 neutral, 4 live with, 5 dislike)."""
    typical = {"M": (2, 5), "O": (1, 5), "A": (1, 3), "I": (3, 3)}[category]
    noise = rng.random(n) < 0.25
    func = np.where(noise, rng.integers(1, 6, n), typical[0])
    dysf = np.where(rng.random(n) < 0.25, rng.integers(1, 6, n), typical[1])
    return func, dysf


def _surveys(spec: ChainSpec, profile: pd.DataFrame, customers: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    n_stores, months = len(profile), spec.months
    s_idx, m_idx = np.meshgrid(np.arange(n_stores), np.arange(months), indexing="ij")
    counts = rng.poisson(26, size=s_idx.size)
    store_idx = np.repeat(s_idx.ravel(), counts)
    month = np.repeat(m_idx.ravel(), counts)
    n = len(store_idx)
    starts = pd.DatetimeIndex([pd.Timestamp(spec.start) + pd.DateOffset(months=k) for k in range(months + 1)])
    days_in = (starts[1:] - starts[:-1]).days.to_numpy()
    when = starts[month].to_numpy().astype("datetime64[D]") + np.floor(rng.random(n) * days_in[month]).astype(
        "timedelta64[D]"
    )

    # Satisfaction follows the store's service level in that month.
    level = _attainment(profile, store_idx, month, months)
    quality = profile["quality"].to_numpy()[store_idx]
    latent = 0.55 * level + 0.45 * quality + rng.normal(0, 0.18, n)
    nps = _likert_from_latent(2.0 + 9.0 * latent + rng.normal(0, 1.0, n), 0, 10)
    csat = _likert_from_latent(1.0 + 4.2 * latent + rng.normal(0, 0.5, n), 1, 5)
    ces = _likert_from_latent(1.0 + 5.5 * latent + rng.normal(0, 0.8, n), 1, 7)  # CES 2.0: 7 = very easy

    cust_store = customers["store_idx"].to_numpy()
    order = np.argsort(cust_store, kind="stable")
    first = np.searchsorted(cust_store[order], np.arange(n_stores))
    size = np.bincount(cust_store, minlength=n_stores)
    pick = order[first[store_idx] + np.floor(rng.random(n) * size[store_idx]).astype(int)]

    data: dict[str, object] = {
        "date": when,
        "store_id": profile["store_id"].to_numpy()[store_idx],
        "customer_id": customers["customer_id"].to_numpy()[pick],
        "nps": nps,
        "csat": csat,
        "ces": ces,
    }
    # SERVQUAL block (answered by ~40 %): expectations high, perceptions follow the store, with
    # a store-specific weak dimension so that gaps differ.
    sq = rng.random(n) < 0.4
    weak_dim = rng.integers(0, 5, n_stores)[store_idx]
    expect = 5.6 + rng.normal(0, 0.5, (n, 22)) + np.array([0.0, 0.6, 0.4, 0.3, 0.2])[SERVQUAL_ITEM_DIM]
    perceive = 3.0 + 3.2 * latent[:, None] + rng.normal(0, 0.6, (n, 22))
    perceive -= 0.9 * (SERVQUAL_ITEM_DIM[None, :] == weak_dim[:, None])
    e_int = np.clip(np.round(expect), 1, 7)
    p_int = np.clip(np.round(perceive), 1, 7)
    for k in range(22):
        data[f"servqual_e{k + 1:02d}"] = np.where(sq, e_int[:, k], np.nan)
    for k in range(22):
        data[f"servqual_p{k + 1:02d}"] = np.where(sq, p_int[:, k], np.nan)
    # Importance: 100 points spread over the five dimensions (reliability usually first).
    w = rng.dirichlet(np.array([2.0, 5.0, 3.5, 3.0, 2.5]) * 4, n)
    pts = np.floor(w * 100)
    pts[:, 1] += 100 - pts.sum(axis=1)
    for k, dim in enumerate(SERVQUAL_DIMENSIONS):
        data[f"importance_{dim}"] = np.where(sq, pts[:, k], np.nan)
    kano = rng.random(n) < 0.4
    for feature, category in KANO_FEATURES.items():
        func, dysf = _kano_answers(category, n, rng)
        data[f"kano_{feature}_func"] = np.where(kano, func, np.nan)
        data[f"kano_{feature}_dysf"] = np.where(kano, dysf, np.nan)
    frame = pd.DataFrame(data).sort_values(["date", "store_id"], kind="stable", ignore_index=True)
    answers = [c for c in frame.columns if c.startswith(("servqual_", "importance_", "kano_"))]
    frame[answers] = frame[answers].astype("Int64")
    frame.insert(0, "response_id", [f"R{i + 1:07d}" for i in range(len(frame))])
    frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
    return frame


def _anniversaries(joined: pd.Series, years: np.ndarray) -> pd.Series:
    """``joined`` + ``years`` whole years (29 February becomes 28 February in other years)."""
    year = joined.dt.year.to_numpy() + years
    month = joined.dt.month.to_numpy()
    day = joined.dt.day.to_numpy()
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    day = np.where((month == 2) & (day == 29) & ~leap, 28, day)
    return pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day}))


def _memberships(spec: ChainSpec, profile: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    """A yearly paid membership in the stores of :data:`MEMBERSHIP_STORES`, with sBG-like churn.

    Every member has her own yearly probability θ of not renewing, drawn from a Beta
    distribution whose mean is lower in better stores (0.45 − 0.30 × quality); her number of
    years is geometric in θ, and her membership ends on the anniversary she does not renew --
    the shifted-beta-geometric model of Fader & Hardie (2007), which
    :mod:`kit.loyalty.contractual` fits.  Members join evenly over the years from
    :data:`MEMBERSHIP_YEARS_BEFORE` years before the sample to its end; an end after the end of
    the sample is not known yet (empty).  Members who could buy during the sample period are
    linked to distinct customers of their store as far as there are enough.  Uses its own
    random generator, so the other tables do not depend on it.
    """
    columns = ["member_id", "customer_id", "store_id", "joined_on", "ended_on"]
    rng = np.random.default_rng([spec.seed, 1])
    in_programme = np.flatnonzero(np.isin(np.arange(len(profile)) % 12, MEMBERSHIP_STORES))
    if len(in_programme) == 0:
        return pd.DataFrame({c: pd.Series([], dtype="str") for c in columns})
    first_year = spec.start.year - MEMBERSHIP_YEARS_BEFORE
    end = spec.period_end.normalize()
    years = np.arange(first_year, end.year + 1)
    win_start = pd.to_datetime([f"{y}-01-01" for y in years]).to_numpy()
    win_end = np.minimum(pd.to_datetime([f"{y}-12-31" for y in years]).to_numpy(), end.to_datetime64())
    win_days = ((win_end - win_start) // np.timedelta64(1, "D")).astype("int64") + 1
    s_idx, y_idx = np.meshgrid(in_programme, np.arange(len(years)), indexing="ij")
    s_idx, y_idx = s_idx.ravel(), y_idx.ravel()
    counts = rng.poisson(95 * win_days[y_idx] / 365.0)
    store_idx = np.repeat(s_idx, counts)
    year_idx = np.repeat(y_idx, counts)
    n = len(store_idx)
    offset = np.floor(rng.random(n) * win_days[year_idx]).astype("int64").astype("timedelta64[D]")
    joined = pd.Series(win_start[year_idx].astype("datetime64[D]") + offset).astype("datetime64[s]")
    quality = profile["quality"].to_numpy()[store_idx]
    mean_churn = 0.45 - 0.30 * quality
    shape_a = 0.9
    theta = rng.beta(shape_a, shape_a * (1 - mean_churn) / mean_churn)
    lifetime = np.minimum(rng.geometric(np.clip(theta, 1e-6, 1.0)), 60)  # years, >= 1
    ended = _anniversaries(joined, lifetime)
    known = (ended <= end).to_numpy()
    frame = pd.DataFrame(
        {
            "store_idx": store_idx,
            "store_id": profile["store_id"].to_numpy()[store_idx],
            "joined": joined.to_numpy(),
            "ended": ended.where(known).to_numpy(),
        }
    ).sort_values(["joined", "store_idx"], kind="stable", ignore_index=True)
    # Link members still there at the start of the sample (or joining during it) to customers.
    cust_store = customers["store_idx"].to_numpy()
    order = np.lexsort((rng.random(len(cust_store)), cust_store))  # a random order within each store
    first = np.searchsorted(cust_store[order], np.arange(len(profile)))
    size = np.bincount(cust_store, minlength=len(profile))
    active = (frame["ended"].isna() | (frame["ended"] >= pd.Timestamp(spec.start))).to_numpy()
    rank = frame.loc[active].groupby("store_idx", sort=False).cumcount().to_numpy()
    active_store = frame.loc[active, "store_idx"].to_numpy()
    linked = rank < size[active_store]
    ids = np.full(len(frame), "", dtype=object)
    pick = order[first[active_store[linked]] + rank[linked]]
    ids[np.flatnonzero(active)[linked]] = customers["customer_id"].to_numpy()[pick]
    return pd.DataFrame(
        {
            "member_id": [f"M{i + 1:06d}" for i in range(len(frame))],
            "customer_id": ids,
            "store_id": frame["store_id"].to_numpy(),
            "joined_on": frame["joined"].dt.strftime("%Y-%m-%d").to_numpy(),
            "ended_on": frame["ended"].dt.strftime("%Y-%m-%d").fillna("").to_numpy(),
        }
    )[columns]


def generate_chain(
    stores: int = 12, months: int = 12, seed: int = 7, start: date = date(2026, 1, 1)
) -> dict[str, pd.DataFrame]:
    """Generate the synthetic chain as DataFrames (timestamps as text, local Asia/Shanghai time).

    Parameters
    ----------
    stores : int
        Number of stores (ids ``"001"``, ``"002"``, ...).
    months : int
        Number of months from ``start``.
    seed : int
        Seed of the random generator: the same seed gives the same chain.
    start : datetime.date
        First day of the period.

    Returns
    -------
    dict of DataFrame
        ``stores``, ``complaints``, ``surveys``, ``transactions`` and ``memberships`` (no rows
        when none of the stores runs a membership programme).
    """
    spec = ChainSpec(stores=stores, months=months, seed=seed, start=start)
    rng = np.random.default_rng(seed)
    store_table, profile = _stores(spec, rng)
    customers = _customers(spec, profile, rng)
    complaints = _complaints(spec, profile, customers, rng)
    _apply_recovery(customers, complaints, spec, rng)
    transactions = _transactions(spec, profile, customers, rng)
    surveys = _surveys(spec, profile, customers, rng)
    memberships = _memberships(spec, profile, customers)  # its own generator: the rest is unchanged

    complaints.insert(1, "store_id", profile["store_id"].to_numpy()[complaints.pop("store_idx").to_numpy()])
    cidx = complaints.pop("customer_idx").to_numpy()
    complaints["customer_id"] = customers["customer_id"].to_numpy()[cidx]
    complaints["customer_name"] = customers["name"].to_numpy()[cidx]
    complaints["customer_phone"] = customers["phone"].to_numpy()[cidx]
    for col in ("created_at", "first_response_at", "resolved_at", "closed_at", "follow_up_at"):
        complaints[col] = complaints[col].dt.strftime("%Y-%m-%d %H:%M:%S")
    for col in ("contacts_to_resolve", "reopened", "resolution_satisfaction"):
        complaints[col] = complaints[col].astype("Int64")
    return {
        "stores": store_table,
        "complaints": complaints,
        "surveys": surveys,
        "transactions": transactions,
        "memberships": memberships,
    }


def write_chain(
    out: str | Path, stores: int = 12, months: int = 12, seed: int = 7, start: date = date(2026, 1, 1)
) -> dict[str, Path]:
    """Generate the chain and write one CSV per table into ``out`` (UTF-8 with BOM, Excel opens it).

    ``memberships.csv`` is written only when a store runs a membership programme, as a client
    without one would have no such file.  Returns the path of every file written.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    chain = generate_chain(stores=stores, months=months, seed=seed, start=start)
    paths = {}
    for name, frame in chain.items():
        if name == "memberships" and frame.empty:
            continue
        paths[name] = write_csv(frame, out / f"{name}.csv", float_format="%.2f")
    return paths
