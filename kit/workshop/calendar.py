"""Business-hours clocks: store calendars, elapsed business minutes and deadlines.

A service-level target such as "reply to a complaint within 2 business hours" is measured on the
*business clock* of the store that owns the ticket: time runs only while the store is open by its
schedule -- opening hours per weekday, minus the lunch break, minus public holidays and other
closed dates, plus China's adjusted working days (调休: a Saturday or Sunday that is an official
working day).  This is how helpdesks define business-hours SLAs: Zendesk's SLA policies count
elapsed time "in business hours" only within the account's schedule and holidays, and a target is
breached only once the elapsed time is *greater* than the target -- so a reply that lands exactly at
the target is met (Zendesk Support help, "Defining and using SLA policies" and "Setting your
schedule with business hours and holidays").  Some standards use the *calendar clock* instead
(every minute counts, e.g. "e-mail answered within 24 hours"); both are provided.

China's statutory holidays and adjusted working days come from the State Council's yearly notice
(国务院办公厅关于 YYYY 年部分节假日安排的通知), read through the ``holidays`` package
(``holidays.China``), when a calendar sets ``official="CN"``.  Explicit ``holidays`` and
``workdays`` in the calendar override it, so a workspace file can correct or extend the official
list.

Everything is vectorised: per calendar the open intervals of the needed years are built once (as
UTC nanoseconds with a running total of open time), and a whole column of timestamps is placed
on that clock with :func:`numpy.searchsorted`.  A chain's table is split by calendar (stores
sharing the same schedule share one group), not by row.

Labels for reports (the two clocks, column headers) are in ``kit/locale/calendar.yaml``, e.g.
``kit.core.i18n.labels("calendar.clock", "zh")``.

Conventions
-----------
* Naive timestamps are local wall-clock time in the calendar's time zone; tz-aware timestamps
  are converted to it.  (In a daylight-saving fold a naive time is read as standard time; a
  naive time that does not exist is moved forward.)
* A clock started outside opening hours starts at the next opening.
* A missing end (``NaT``, an open ticket) gives ``NaN`` minutes; so does an end *before* the
  start (such rows are data errors, which the intake rejects; a negative duration would
  otherwise look like a met target).
* ``add_business_minutes(start, m)`` is the earliest instant at which ``m`` business minutes have
  elapsed, so ``business_minutes(start, add_business_minutes(start, m)) == m``.  When that
  instant is a closing time (e.g. 12:00 before lunch), the deadline is that closing time.

Examples
--------
>>> cal = StoreCalendar.office("09:00-18:00", lunch="12:00-13:00")
>>> float(business_minutes(pd.Timestamp("2026-03-06 17:00"), pd.Timestamp("2026-03-09 10:00"), cal))
120.0
>>> add_business_minutes(pd.Timestamp("2026-03-06 11:30"), 60, cal)
Timestamp('2026-03-06 13:30:00')
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from kit.core.errors import DataError, ParameterError, Text

__all__ = [
    "CLOCKS",
    "StoreCalendar",
    "WEEKDAYS",
    "add_business_minutes",
    "business_minutes",
    "calendar_minutes",
    "calendars_from_stores",
    "china_official_days",
    "deadlines",
    "elapsed_minutes",
    "parse_hours",
]

#: The two clocks a service standard can be measured on.
CLOCKS = ("business", "calendar")

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_NS_PER_MIN = 60_000_000_000
_NS_PER_DAY = 86_400_000_000_000
_CLOSED_WORDS = {"", "closed", "close", "off", "none", "-", "休息", "休", "闭店", "不营业"}
_RANGE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
#: How far ahead a deadline is searched for before it is given up as unreachable (NaT).
_MAX_YEARS_AHEAD = 100

Schedule = tuple[tuple[int, int], ...]  # open intervals of one day, minutes after midnight


# --------------------------------------------------------------------------------------------
# Parsing opening hours
# --------------------------------------------------------------------------------------------
def _hours_error(text: Any, why: str, what: str, **values: Any) -> ParameterError:
    return ParameterError.from_key(
        "calendar.error.bad_hours", column=what, text=repr(text), why=Text(f"calendar.why.{why}", values)
    )


def parse_hours(text: str | None, *, what: str = "opening_hours") -> Schedule:
    """Parse opening hours such as ``"10:00-22:00"`` into ``((600, 1320),)`` (minutes).

    Parameters
    ----------
    text : str or None
        One or more ranges ``HH:MM-HH:MM`` separated by ``,`` / ``;`` / ``、``; ``24:00`` is
        allowed as a closing time.  ``None``, ``""``, ``"closed"`` or ``"休息"`` mean closed.
        Full-width colons and the dashes ``–``, ``—``, ``~``, ``～``, ``至`` are accepted.
    what : str
        Name of the setting, used in the error message.

    Returns
    -------
    tuple of (start, end) minutes after midnight, sorted, non-overlapping.

    Raises
    ------
    ParameterError
        For a malformed range, an hour past 24:00, or a range that does not end after it starts
        (``"22:00-02:00"``: ranges past midnight are not supported; write two days' hours).

    Examples
    --------
    >>> parse_hours("09:00-12:00, 13:00-18:00")
    ((540, 720), (780, 1080))
    >>> parse_hours("closed")
    ()
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return ()
    if not isinstance(text, str):
        raise _hours_error(text, "not_text", what)
    norm = text.strip().lower().replace("：", ":")
    for dash in ("–", "—", "~", "～", "至", "到"):
        norm = norm.replace(dash, "-")
    norm = norm.replace(" ", "")
    if norm in _CLOSED_WORDS:
        return ()
    out: list[tuple[int, int]] = []
    for part in re.split(r"[,;，；、]", norm):
        if not part:
            continue
        m = _RANGE.match(part)
        if not m:
            raise _hours_error(text, "not_range", what, part=part)
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        for h, mi in ((h1, m1), (h2, m2)):
            if mi > 59 or h > 24 or (h == 24 and mi != 0):
                raise _hours_error(text, "bad_time", what, time=f"{h:02d}:{mi:02d}")
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if end <= start:
            raise _hours_error(text, "end_before_start", what, part=part)
        out.append((start, end))
    out.sort()
    for (_s1, e1), (s2, _e2) in zip(out, out[1:]):
        if s2 < e1:
            raise _hours_error(text, "overlap", what)
    return tuple(out)


def _format(schedule: Schedule) -> str:
    return ",".join(f"{s // 60:02d}:{s % 60:02d}-{e // 60:02d}:{e % 60:02d}" for s, e in schedule) or "closed"


def _subtract(schedule: Schedule, gaps: Schedule) -> Schedule:
    """``schedule`` minus the ``gaps`` (e.g. the lunch break)."""
    out = []
    for s, e in schedule:
        pieces = [(s, e)]
        for gs, ge in gaps:
            nxt = []
            for ps, pe in pieces:
                if ge <= ps or gs >= pe:
                    nxt.append((ps, pe))
                    continue
                if ps < gs:
                    nxt.append((ps, gs))
                if ge < pe:
                    nxt.append((ge, pe))
            pieces = nxt
        out.extend(pieces)
    return tuple(out)


def _as_dates(values: Any, what: str) -> frozenset[_dt.date]:
    if values is None:
        return frozenset()
    if isinstance(values, (str, _dt.date, pd.Timestamp)):
        values = [values]
    out = set()
    for v in values:
        try:
            ts = pd.Timestamp(v)
        except (ValueError, TypeError) as exc:
            raise ParameterError.from_key("calendar.error.bad_date", column=what, what=what, value=repr(v)) from exc
        if pd.isna(ts):
            continue
        out.add(ts.date())
    return frozenset(out)


# --------------------------------------------------------------------------------------------
# The calendar
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StoreCalendar:
    """When a store's business clock runs.

    Parameters
    ----------
    hours : str, sequence of 7, or mapping
        Opening hours.  A string applies to every day of the week; a sequence gives Monday to
        Sunday; a mapping has keys ``"mon"`` ... ``"sun"`` (or ``"周一"`` ... ``"周日"``, or 0-6,
        Monday = 0) and days missing
        from it are closed.  Each day is ``"HH:MM-HH:MM"`` (several ranges separated by commas)
        or ``None`` / ``"closed"``.  See :func:`parse_hours`.
    lunch : str, optional
        A break taken out of every open day, e.g. ``"12:00-13:00"``.
    holidays : iterable of dates, optional
        Dates on which the store is closed all day (public holidays, stock-taking, ...).
    workdays : iterable of dates, optional
        Dates on which the store is open although the weekly schedule (or the official calendar)
        says closed -- China's adjusted working days.  They follow ``workday_hours``.
    workday_hours : str, optional
        The schedule of an adjusted working day; by default the schedule of the first open day
        from Monday to Friday (a normal working day).  The lunch break applies to it too.
    official : {"CN"}, optional
        Also close on China's statutory days off (the whole holiday block as announced, weekend
        days inside it included) and open on its adjusted working days, for every year the data
        needs (from the ``holidays`` package; see :func:`china_official_days`).  Explicit
        ``holidays`` / ``workdays`` take precedence.
    if_unpublished : {"estimate", "error"}
        For a year whose official schedule has not been announced yet (no adjusted working day
        known): use the ``holidays`` package's rule-based estimate of the holidays (and no
        adjusted working days), or raise :class:`~kit.core.errors.ParameterError`.
    timezone : str
        IANA time zone of the store, default ``"Asia/Shanghai"``.

    Notes
    -----
    The calendar is immutable and hashable: stores with equal calendars form one group and the
    open-interval table of a calendar is built once per range of years and cached.

    Examples
    --------
    >>> cal = StoreCalendar.retail("10:00-22:00")
    >>> cal.hours[0], cal.timezone
    ('10:00-22:00', 'Asia/Shanghai')
    >>> StoreCalendar(hours={"mon": "09:00-18:00"}).hours[1]
    'closed'
    """

    hours: Any = "10:00-22:00"
    lunch: str | None = None
    holidays: Any = ()
    workdays: Any = ()
    workday_hours: str | None = None
    official: str | None = None
    if_unpublished: Literal["estimate", "error"] = "estimate"
    timezone: str = "Asia/Shanghai"
    _days: tuple[Schedule, ...] = field(init=False, repr=False, compare=False, hash=False, default=())
    _workday: Schedule = field(init=False, repr=False, compare=False, hash=False, default=())

    def __post_init__(self) -> None:
        hours = self.hours
        if isinstance(hours, str) or hours is None:
            per_day = [hours] * 7
        elif isinstance(hours, Mapping):
            per_day = [None] * 7
            for key, value in hours.items():
                if isinstance(key, int):
                    idx = key
                elif str(key).strip() in _WEEKDAY_ZH:
                    idx = _WEEKDAY_ZH.index(str(key).strip())
                else:
                    k = str(key).strip().lower()[:3]
                    idx = WEEKDAYS.index(k) if k in WEEKDAYS else -1
                if not 0 <= idx <= 6:
                    raise ParameterError.from_key("calendar.error.bad_weekday", column="hours", key=repr(key))
                per_day[idx] = value
        elif isinstance(hours, Sequence) and len(hours) == 7:
            per_day = list(hours)
        else:
            raise ParameterError.from_key("calendar.error.bad_hours_shape", column="hours")
        days = [parse_hours(v, what="hours") for v in per_day]
        lunch = parse_hours(self.lunch, what="lunch")
        if self.workday_hours is not None:
            workday = parse_hours(self.workday_hours, what="workday_hours")
        else:
            workday = next((d for d in days[:5] if d), ())
        holidays = _as_dates(self.holidays, "holidays")
        workdays = _as_dates(self.workdays, "workdays")
        both = sorted(holidays & workdays)
        if both:
            raise ParameterError.from_key("calendar.error.holiday_and_workday", column="holidays", day=both[0])
        if self.official not in (None, "CN"):
            raise ParameterError.from_key("calendar.error.bad_official", column="official", value=repr(self.official))
        if self.if_unpublished not in ("estimate", "error"):
            raise ParameterError.from_key(
                "calendar.error.bad_if_unpublished", column="if_unpublished", value=repr(self.if_unpublished)
            )
        try:
            ZoneInfo(str(self.timezone))
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ParameterError.from_key(
                "calendar.error.bad_timezone", column="timezone", value=repr(self.timezone)
            ) from exc
        open_days = [_subtract(d, lunch) for d in days]
        open_workday = _subtract(workday, lunch)
        if not any(open_days) and not (workdays and open_workday):
            raise ParameterError.from_key("calendar.error.never_open", column="hours")
        set_ = object.__setattr__
        set_(self, "hours", tuple(_format(d) for d in days))
        set_(self, "lunch", _format(lunch) if lunch else None)
        set_(self, "holidays", holidays)
        set_(self, "workdays", workdays)
        set_(self, "workday_hours", _format(workday) if self.workday_hours is not None else None)
        set_(self, "timezone", str(self.timezone))
        set_(self, "_days", tuple(open_days))
        set_(self, "_workday", open_workday)

    # -- constructors -------------------------------------------------------------------------
    @classmethod
    def retail(cls, hours: str = "10:00-22:00", **options: Any) -> StoreCalendar:
        """A shop open seven days a week with the same ``hours`` every day."""
        return cls(hours=hours, **options)

    @classmethod
    def office(
        cls,
        hours: str = "09:00-18:00",
        *,
        lunch: str | None = "12:00-13:00",
        official: str | None = "CN",
        **options: Any,
    ) -> StoreCalendar:
        """An office week: Monday to Friday, lunch break, China's official days off and 调休."""
        return cls(hours=[hours] * 5 + [None, None], lunch=lunch, official=official, **options)

    # -- plain values for workspace files ------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Plain values (strings and lists) for a YAML workspace file; see :meth:`from_dict`."""
        return {
            "hours": dict(zip(WEEKDAYS, self.hours)),
            "lunch": self.lunch,
            "holidays": sorted(d.isoformat() for d in self.holidays),
            "workdays": sorted(d.isoformat() for d in self.workdays),
            "workday_hours": self.workday_hours,
            "official": self.official,
            "if_unpublished": self.if_unpublished,
            "timezone": self.timezone,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StoreCalendar:
        """Build a calendar from :meth:`to_dict` output; unknown keys are an error."""
        known = {"hours", "lunch", "holidays", "workdays", "workday_hours", "official", "if_unpublished", "timezone"}
        extra = sorted(set(data) - known)
        if extra:
            raise ParameterError.from_key(
                "calendar.error.unknown_settings", column=extra[0], extra=extra, known=sorted(known)
            )
        return cls(**dict(data))

    def open_minutes_per_week(self) -> int:
        """Open minutes in an ordinary week (no holidays), e.g. 84 h = 5040 for 10:00-22:00 daily."""
        return int(sum(e - s for d in self._days for s, e in d))


# --------------------------------------------------------------------------------------------
# China's official calendar
# --------------------------------------------------------------------------------------------
@lru_cache(maxsize=64)
def _official_cn(first_year: int, last_year: int, if_unpublished: str) -> tuple[np.ndarray, np.ndarray]:
    try:
        import holidays as _holidays
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise ParameterError.from_key("calendar.error.no_holidays_package", column="official") from exc
    years = list(range(first_year - 1, last_year + 2))  # neighbours: a holiday block may cross New Year
    cn = _holidays.China(years=years)
    adjusted = np.array(sorted(d for d in cn.weekend_workdays if d.year in years), dtype="datetime64[D]")
    published = {int(y) for y in adjusted.astype("datetime64[Y]").astype(int) + 1970}
    missing = [y for y in range(first_year, last_year + 1) if y not in published]
    if missing and if_unpublished == "error":
        raise ParameterError.from_key("calendar.error.unpublished_year", column="official", year=missing[0])
    days = np.arange(np.datetime64(f"{years[0]}-01-01"), np.datetime64(f"{years[-1] + 1}-01-01"), dtype="datetime64[D]")
    weekend = (days.astype(np.int64) + 3) % 7 >= 5
    named = np.isin(days, np.array(sorted(cn.keys()), dtype="datetime64[D]"))
    adj = np.isin(days, adjusted)
    off = (weekend & ~adj) | named
    # A statutory day off is every day of a run of consecutive days off holding a named holiday
    # (so the weekend inside the Golden Week is part of it; an ordinary weekend is not).
    run = np.cumsum(np.r_[True, off[1:] != off[:-1]])
    off &= np.isin(run, np.unique(run[named]))
    keep = (days >= np.datetime64(f"{first_year}-01-01")) & (days < np.datetime64(f"{last_year + 1}-01-01"))
    return days[off & keep], days[adj & keep]


def china_official_days(
    first_year: int, last_year: int | None = None, *, if_unpublished: str = "error"
) -> tuple[list[_dt.date], list[_dt.date]]:
    """China's statutory days off and adjusted working days (调休) for a range of years.

    Source: the State Council's yearly notice on the holiday arrangements (国务院办公厅关于 YYYY
    年部分节假日安排的通知), as encoded in the ``holidays`` package (``holidays.China``).

    Parameters
    ----------
    first_year, last_year : int
        Inclusive range of years (``last_year`` defaults to ``first_year``).
    if_unpublished : {"error", "estimate"}
        What to do for a year with no published schedule (see :class:`StoreCalendar`).

    Returns
    -------
    (days_off, workdays) : two sorted lists of :class:`datetime.date`
        ``days_off`` is every day of each holiday block (weekend days inside it included);
        ``workdays`` are the Saturdays and Sundays that are official working days.

    Examples
    --------
    >>> off, work = china_official_days(2026)
    >>> [d.isoformat() for d in work]
    ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']
    >>> _dt.date(2026, 10, 1) in off, len(off)
    (True, 33)
    """
    last_year = first_year if last_year is None else last_year
    off, work = _official_cn(int(first_year), int(last_year), str(if_unpublished))
    return [d.item() for d in off], [d.item() for d in work]


def calendars_from_stores(
    stores: pd.DataFrame,
    *,
    store_col: str = "store_id",
    hours_col: str = "opening_hours",
    tz_col: str | None = "timezone",
    **options: Any,
) -> dict[str, StoreCalendar]:
    """One :class:`StoreCalendar` per store from a stores table (open every day).

    Parameters
    ----------
    stores : DataFrame
        One row per store, with ``store_col`` and ``hours_col`` (e.g. ``"10:00-22:00"``, the
        same every day) and optionally ``tz_col`` (IANA name; blank means Asia/Shanghai).
    **options
        Passed to every calendar: ``lunch``, ``holidays``, ``workdays``, ``official``, ...

    Raises
    ------
    DataError
        A bad opening-hours or time-zone cell, with its row (the header is row 1).

    Examples
    --------
    >>> t = pd.DataFrame({"store_id": ["001", "002"], "opening_hours": ["09:00-21:00", "10:00-22:00"]})
    >>> cals = calendars_from_stores(t)
    >>> cals["002"].hours[6]
    '10:00-22:00'
    """
    for col in (store_col, hours_col):
        if col not in stores.columns:
            raise DataError.from_key("calendar.error.stores_missing_column", column=col)
    ids = stores[store_col].astype(str).to_numpy()
    hours = stores[hours_col].to_numpy(dtype=object)
    if tz_col is not None and tz_col in stores.columns:
        tzs = stores[tz_col].to_numpy(dtype=object)
    else:
        tzs = np.full(len(stores), None, dtype=object)
    made: dict[tuple[Any, Any], StoreCalendar] = {}
    out: dict[str, StoreCalendar] = {}
    for pos, (sid, h, tz) in enumerate(zip(ids, hours, tzs)):  # one row per store: a small table
        tz = (
            "Asia/Shanghai"
            if tz is None or (isinstance(tz, float) and np.isnan(tz)) or str(tz).strip() == ""
            else str(tz).strip()
        )
        key = (h, tz)
        if key not in made:
            try:
                made[key] = StoreCalendar(hours=h, timezone=tz, **options)
            except ParameterError as exc:
                col = tz_col if exc.where.column == "timezone" else hours_col
                raise DataError.from_key(exc.key, hint=exc.hint, row=pos + 2, column=col, **exc.values) from exc
        out[sid] = made[key]
    return out


# --------------------------------------------------------------------------------------------
# The clock: open intervals as UTC nanoseconds with running totals
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Clock:
    starts: np.ndarray  # int64 UTC ns, increasing
    ends: np.ndarray
    cum_start: np.ndarray  # open ns before each interval
    cum_end: np.ndarray  # open ns up to the end of each interval

    def position(self, t: np.ndarray) -> np.ndarray:
        """Open nanoseconds from the first interval up to each instant ``t``."""
        if self.starts.size == 0:
            return np.zeros(t.shape, dtype=np.int64)
        i = np.searchsorted(self.starts, t, side="right") - 1
        j = np.maximum(i, 0)
        pos = self.cum_start[j] + np.minimum(t, self.ends[j]) - self.starts[j]
        return np.where(i >= 0, pos, 0)

    def instant(self, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Earliest instant at which the clock reads ``pos``; second array: ``pos`` within range."""
        j = np.searchsorted(self.cum_end, pos, side="left")
        ok = j < self.cum_end.size
        jj = np.minimum(j, max(self.cum_end.size - 1, 0))
        if self.starts.size == 0:
            return np.zeros(pos.shape, dtype=np.int64), np.zeros(pos.shape, dtype=bool)
        return self.starts[jj] + (pos - self.cum_start[jj]), ok


@lru_cache(maxsize=256)
def _clock(cal: StoreCalendar, first_year: int, last_year: int) -> _Clock:
    days = np.arange(
        np.datetime64(f"{first_year}-01-01"), np.datetime64(f"{last_year + 1}-01-01"), dtype="datetime64[D]"
    )
    kind = ((days.astype(np.int64) + 3) % 7).astype(np.int64)  # 0 = Monday ... 6 = Sunday
    WORK, CLOSED = 7, 8
    if cal.official == "CN":
        off, adj = _official_cn(first_year, last_year, cal.if_unpublished)
        kind[np.isin(days, off)] = CLOSED
        kind[np.isin(days, adj)] = WORK
    if cal.holidays:
        kind[np.isin(days, np.array(sorted(cal.holidays), dtype="datetime64[D]"))] = CLOSED
    if cal.workdays:
        kind[np.isin(days, np.array(sorted(cal.workdays), dtype="datetime64[D]"))] = WORK
    schedules = [*cal._days, cal._workday, ()]
    width = max(1, max(len(s) for s in schedules))
    s_min = np.zeros((len(schedules), width), dtype=np.int64)
    e_min = np.zeros((len(schedules), width), dtype=np.int64)
    for k, sched in enumerate(schedules):  # at most 9 schedules
        for w, (s, e) in enumerate(sched):
            s_min[k, w], e_min[k, w] = s, e
    day_ns = days.astype("datetime64[ns]").astype(np.int64)[:, None]
    starts_local = (day_ns + s_min[kind] * _NS_PER_MIN).ravel()
    ends_local = (day_ns + e_min[kind] * _NS_PER_MIN).ravel()
    keep = ends_local > starts_local
    starts = _local_to_utc(starts_local[keep], cal.timezone)
    ends = _local_to_utc(ends_local[keep], cal.timezone)
    keep = ends > starts  # an interval inside a skipped daylight-saving hour vanishes
    starts, ends = starts[keep], ends[keep]
    lengths = ends - starts
    cum_end = np.cumsum(lengths)
    return _Clock(starts, ends, cum_end - lengths, cum_end)


def _local_to_utc(local_ns: np.ndarray, tz: str) -> np.ndarray:
    idx = pd.DatetimeIndex(local_ns.astype("datetime64[ns]"))
    aware = idx.tz_localize(tz, ambiguous=np.zeros(len(idx), dtype=bool), nonexistent="shift_forward")
    return aware.asi8


def _years_of(utc_ns: np.ndarray, tz: str) -> tuple[int, int]:
    lo, hi = pd.Timestamp(int(utc_ns.min()), tz="UTC"), pd.Timestamp(int(utc_ns.max()), tz="UTC")
    return lo.tz_convert(tz).year, hi.tz_convert(tz).year


def _business_ns(cal: StoreCalendar, a: np.ndarray, b: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Business nanoseconds from ``a`` to ``b`` where ``ok`` (a, b valid UTC ns, b >= a)."""
    out = np.zeros(a.shape, dtype=np.int64)
    if not ok.any():
        return out
    y0, y1 = _years_of(np.concatenate([a[ok], b[ok]]), cal.timezone)
    clock = _clock(cal, y0, y1)
    out[ok] = clock.position(b[ok]) - clock.position(a[ok])
    return out


def _add_ns(cal: StoreCalendar, a: np.ndarray, m: np.ndarray, ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Instants ``m`` business ns after ``a``; second array: found (False: beyond the search)."""
    out = np.zeros(a.shape, dtype=np.int64)
    found = np.zeros(a.shape, dtype=bool)
    if not ok.any():
        return out, found
    aa, mm = a[ok], m[ok]
    y0, y1 = _years_of(aa, cal.timezone)
    week = cal.open_minutes_per_week() or 1
    # a first guess of the years needed, widened until every deadline falls inside the table
    days_needed = float(mm.max()) / (week * _NS_PER_MIN) * 7 * 1.25 + 14
    far = int(aa.max()) + int(min(days_needed, 366 * _MAX_YEARS_AHEAD) * _NS_PER_DAY)
    last = min(max(y1, _years_of(np.array([far]), cal.timezone)[1]), y1 + _MAX_YEARS_AHEAD)
    while True:
        clock = _clock(cal, y0, last)
        target = clock.position(aa) + mm
        when, inside = clock.instant(target)
        if inside.all() or last >= y1 + _MAX_YEARS_AHEAD:
            break
        last = min(last + max(2, last - y0), y1 + _MAX_YEARS_AHEAD)
    res = np.maximum(when, aa)  # zero minutes after a closed instant is that instant
    out[ok] = np.where(inside, res, 0)
    found[ok] = inside
    return out, found


# --------------------------------------------------------------------------------------------
# Input and output
# --------------------------------------------------------------------------------------------
def _as_index(values: Any, what: str) -> pd.DatetimeIndex:
    if isinstance(values, pd.DatetimeIndex):
        return values
    if (
        isinstance(values, pd.Series)
        and isinstance(values.dtype, (np.dtype, pd.DatetimeTZDtype))
        and values.dtype.kind == "M"
    ):
        return pd.DatetimeIndex(values)
    try:
        return pd.DatetimeIndex(pd.to_datetime(values))
    except (ValueError, TypeError) as exc:
        raise DataError.from_key("calendar.error.not_timestamps", column=what, what=what) from exc


def _utc_ns(idx: pd.DatetimeIndex, tz: str) -> np.ndarray:
    """UTC nanoseconds; naive values are wall-clock time in ``tz``.  NaT stays iNaT."""
    if idx.tz is None:
        idx = idx.tz_localize(tz, ambiguous=np.zeros(len(idx), dtype=bool), nonexistent="shift_forward")
    return idx.as_unit("ns").asi8


def _is_scalar(x: Any) -> bool:
    return np.ndim(x) == 0 and not isinstance(x, (pd.Series, pd.Index))


def _broadcast(x: Any, n: int, what: str) -> Any:
    if _is_scalar(x):
        return [x] * n
    if len(x) != n:
        raise ParameterError.from_key("calendar.error.length_mismatch", column=what, what=what, got=len(x), n=n)
    return x


def _shape_like(values: np.ndarray | pd.Index, like: Any, name: str | None = None) -> Any:
    if isinstance(like, pd.Series):
        return pd.Series(values, index=like.index, name=name)
    if _is_scalar(like):
        return values[0]
    return values


def _minutes(ns: np.ndarray, ok: np.ndarray) -> np.ndarray:
    return np.where(ok, ns / _NS_PER_MIN, np.nan)


def _check_clock(clock: Any, n: int) -> np.ndarray:
    """Boolean array: True where the row uses the business clock."""
    if _is_scalar(clock):  # one clock for every row: check it once
        values = np.array([clock], dtype=object)
        bad = [] if clock in CLOCKS else [str(clock)]
        if not bad:
            return np.full(n, clock == "business")
    else:
        values = np.asarray(_broadcast(clock, n, "clock"), dtype=object)
        bad = sorted({str(v) for v in pd.unique(values) if v not in CLOCKS})  # distinct values only
    if bad:
        raise ParameterError.from_key("calendar.error.bad_clock", column="clock", values=bad[:3])
    return values == "business"


# --------------------------------------------------------------------------------------------
# Public functions: one calendar
# --------------------------------------------------------------------------------------------
def business_minutes(start: Any, end: Any, calendar: StoreCalendar) -> Any:
    """Elapsed business minutes from ``start`` to ``end`` on ``calendar``'s clock.

    Only time inside the opening hours counts (lunch break, closed weekdays, holidays excluded;
    adjusted working days included), as in helpdesk business-hours SLAs (Zendesk, "Defining and
    using SLA policies").  A clock started outside opening hours starts at the next opening.

    Parameters
    ----------
    start, end : timestamp, sequence, DatetimeIndex or Series
        Naive values are local time in ``calendar.timezone``; tz-aware values are converted.
        A scalar is broadcast against the other argument.
    calendar : StoreCalendar

    Returns
    -------
    float, ndarray or Series (same index as ``start``, or as ``end`` if ``start`` is scalar)
        Minutes (fractions of a minute kept); ``NaN`` where either end is ``NaT`` or
        ``end < start``.

    Examples
    --------
    >>> cal = StoreCalendar.retail("10:00-22:00")
    >>> float(business_minutes(pd.Timestamp("2026-03-02 21:30"), pd.Timestamp("2026-03-03 10:15"), cal))
    45.0
    """
    like = start if not _is_scalar(start) else end
    n = 1 if _is_scalar(like) else len(like)
    a = _utc_ns(_as_index(_broadcast(start, n, "start"), "start"), calendar.timezone)
    b = _utc_ns(_as_index(_broadcast(end, n, "end"), "end"), calendar.timezone)
    nat = np.iinfo(np.int64).min
    ok = (a != nat) & (b != nat) & (b >= a)
    return _shape_like(_minutes(_business_ns(calendar, a, b, ok), ok), like, "business_minutes")


def calendar_minutes(start: Any, end: Any, timezone: str | None = None) -> Any:
    """Elapsed calendar (wall-clock) minutes from ``start`` to ``end``: every minute counts.

    Parameters
    ----------
    start, end : timestamp, sequence, DatetimeIndex or Series
    timezone : str, optional
        Time zone of naive values (matters only across a daylight-saving change); by default
        naive values are taken as they are.

    Returns
    -------
    float, ndarray or Series
        ``NaN`` where either end is ``NaT`` or ``end < start``.

    Examples
    --------
    >>> float(calendar_minutes(pd.Timestamp("2026-03-02 21:30"), pd.Timestamp("2026-03-03 10:15")))
    765.0
    """
    like = start if not _is_scalar(start) else end
    n = 1 if _is_scalar(like) else len(like)
    tz = timezone or "UTC"
    a = _utc_ns(_as_index(_broadcast(start, n, "start"), "start"), tz)
    b = _utc_ns(_as_index(_broadcast(end, n, "end"), "end"), tz)
    nat = np.iinfo(np.int64).min
    ok = (a != nat) & (b != nat) & (b >= a)
    return _shape_like(_minutes(np.where(ok, b - a, 0), ok), like, "calendar_minutes")


def _as_minutes(minutes: Any, n: int) -> tuple[np.ndarray, np.ndarray]:
    m = pd.to_numeric(pd.Series(_broadcast(minutes, n, "minutes")), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    ok = np.isfinite(m) & (m >= 0) & (m <= _MAX_YEARS_AHEAD * 366 * 1440)
    return np.where(ok, np.rint(np.where(ok, m, 0) * _NS_PER_MIN), 0).astype(np.int64), ok


def _to_output(ns: np.ndarray, ok: np.ndarray, src: pd.DatetimeIndex, tz: str) -> pd.DatetimeIndex:
    nat = np.iinfo(np.int64).min
    idx = pd.DatetimeIndex(np.where(ok, ns, nat).astype("datetime64[ns]")).tz_localize("UTC")
    if src.tz is None:
        return idx.tz_convert(tz).tz_localize(None)
    return idx.tz_convert(src.tz)


def add_business_minutes(start: Any, minutes: Any, calendar: StoreCalendar) -> Any:
    """The deadline: the earliest instant at which ``minutes`` business minutes after ``start`` have elapsed.

    The inverse of :func:`business_minutes`: for ``m >= 0``,
    ``business_minutes(start, add_business_minutes(start, m, cal), cal) == m``.  A target met at
    exactly this instant is met (Zendesk: a target is breached only when the elapsed time exceeds it).

    Parameters
    ----------
    start : timestamp, sequence, DatetimeIndex or Series
        Naive values are local time in ``calendar.timezone``.
    minutes : number or array-like
        Business minutes to add (broadcast against ``start``); negative or missing -> ``NaT``.
    calendar : StoreCalendar

    Returns
    -------
    Timestamp, DatetimeIndex or Series (index of ``start``)
        Naive local time for naive input, else in the time zone of the input.  ``NaT`` for a
        ``NaT`` start, a missing or negative ``minutes``, or a deadline more than a century ahead.

    Examples
    --------
    >>> cal = StoreCalendar.retail("10:00-22:00")
    >>> add_business_minutes(pd.Timestamp("2026-03-02 21:30"), 45, cal)
    Timestamp('2026-03-03 10:15:00')
    """
    like = start
    n = 1 if _is_scalar(start) else len(start)
    src = _as_index(_broadcast(start, n, "start"), "start")
    a = _utc_ns(src, calendar.timezone)
    m, m_ok = _as_minutes(minutes, n)
    ok = (a != np.iinfo(np.int64).min) & m_ok
    ns, found = _add_ns(calendar, a, m, ok)
    out = _to_output(ns, ok & found, src, calendar.timezone)
    if isinstance(like, pd.Series):
        return pd.Series(out, index=like.index, name="deadline")
    return out[0] if _is_scalar(like) else out


# --------------------------------------------------------------------------------------------
# Public functions: the whole chain at once
# --------------------------------------------------------------------------------------------
def _groups(
    frame: pd.DataFrame, store_col: str, calendars: Mapping[Any, StoreCalendar], default: StoreCalendar | None
) -> tuple[np.ndarray, list[StoreCalendar]]:
    """Per row the index of its calendar in the returned list (equal calendars share one)."""
    if store_col not in frame.columns:
        raise DataError.from_key("calendar.error.missing_column", column=store_col)
    codes, uniques = pd.factorize(frame[store_col], use_na_sentinel=True)
    lookup = {str(k): v for k, v in calendars.items()}
    cals: list[StoreCalendar] = []
    seen: dict[StoreCalendar, int] = {}
    group_of = np.empty(len(uniques) + 1, dtype=np.int64)
    missing = []
    for u, store in enumerate(list(uniques) + [None]):  # one entry per store, not per row
        cal = lookup.get(str(store), default) if store is not None else default
        if cal is None:
            if store is not None:
                missing.append(str(store))
            group_of[u] = -1
            continue
        if cal not in seen:
            seen[cal] = len(cals)
            cals.append(cal)
        group_of[u] = seen[cal]
    row_group = group_of[codes]  # code -1 (missing store id) -> the last entry
    if missing or (row_group == -1).any():
        shown = missing[:5] or ["(空白 / blank)"]
        raise DataError.from_key("calendar.error.no_calendar", column=store_col, stores=shown)
    return row_group, cals


def _column(frame: pd.DataFrame, col: str) -> pd.DatetimeIndex:
    if col not in frame.columns:
        raise DataError.from_key("calendar.error.missing_column", column=col)
    return _as_index(frame[col], col)


def elapsed_minutes(
    frame: pd.DataFrame,
    start_col: str,
    end_col: str,
    *,
    calendars: Mapping[Any, StoreCalendar],
    store_col: str = "store_id",
    clock: Any = "business",
    default: StoreCalendar | None = None,
) -> pd.Series:
    """Elapsed minutes from ``start_col`` to ``end_col`` for every row of a chain's table.

    Each row is measured on the clock of its store's calendar; stores sharing a calendar are
    computed together (one vectorised pass per distinct calendar).

    Parameters
    ----------
    frame : DataFrame
    start_col, end_col : str
        Timestamp columns (naive = the store's local time, or tz-aware).
    calendars : mapping store id -> StoreCalendar
        Keys are compared as strings (``"001"``).
    store_col : str
    clock : "business", "calendar", a column name, or an array of those per row
        ``"calendar"`` counts every minute (still reading naive times in the store's time zone).
    default : StoreCalendar, optional
        For stores missing from ``calendars``; without it they are a :class:`DataError`.

    Returns
    -------
    Series of float (index of ``frame``), ``NaN`` for an open ticket or an end before the start.

    Examples
    --------
    >>> cal = StoreCalendar.retail("10:00-22:00")
    >>> f = pd.DataFrame({"store_id": ["001"], "created_at": [pd.Timestamp("2026-03-02 21:30")],
    ...                   "replied_at": [pd.Timestamp("2026-03-03 10:15")]})
    >>> elapsed_minutes(f, "created_at", "replied_at", calendars={"001": cal}).tolist()
    [45.0]
    """
    n = len(frame)
    if isinstance(clock, str) and clock not in CLOCKS and clock in frame.columns:
        clock = frame[clock].to_numpy(dtype=object)
    business = _check_clock(clock, n)
    start, end = _column(frame, start_col), _column(frame, end_col)
    row_group, cals = _groups(frame, store_col, calendars, default)
    out = np.full(n, np.nan)
    nat = np.iinfo(np.int64).min
    for g, cal in enumerate(cals):  # one pass per distinct calendar
        rows = np.flatnonzero(row_group == g)
        if rows.size == 0:
            continue
        a = _utc_ns(start[rows], cal.timezone)
        b = _utc_ns(end[rows], cal.timezone)
        ok = (a != nat) & (b != nat) & (b >= a)
        bus = business[rows]
        ns = np.where(ok, b - a, 0)
        if bus.any():
            ns[bus] = _business_ns(cal, a[bus], b[bus], ok[bus])
        out[rows] = _minutes(ns, ok)
    return pd.Series(out, index=frame.index, name="elapsed_minutes")


def deadlines(
    frame: pd.DataFrame,
    start_col: str,
    minutes: Any,
    *,
    calendars: Mapping[Any, StoreCalendar],
    store_col: str = "store_id",
    clock: Any = "business",
    default: StoreCalendar | None = None,
) -> pd.Series:
    """The due time of every row: ``minutes`` after ``start_col`` on its store's clock.

    Parameters
    ----------
    frame : DataFrame
    start_col : str
    minutes : number, column name, or array per row
        The target (e.g. 30 for an urgent complaint, 120 for an inquiry); negative or missing
        -> ``NaT``.
    calendars, store_col, clock, default
        As in :func:`elapsed_minutes`.

    Returns
    -------
    Series of timestamps (index of ``frame``): naive local time of each row's store for naive
    input, else in the input's time zone.  With :func:`elapsed_minutes` and a "now", an audit
    gets the time left of open tickets (``deadline - now``) and met/breached
    (``elapsed <= target``).

    Examples
    --------
    >>> cal = StoreCalendar.retail("10:00-22:00")
    >>> f = pd.DataFrame({"store_id": ["001"], "created_at": [pd.Timestamp("2026-03-02 21:30")]})
    >>> deadlines(f, "created_at", 45, calendars={"001": cal}).tolist()
    [Timestamp('2026-03-03 10:15:00')]
    """
    n = len(frame)
    if isinstance(minutes, str):
        if minutes not in frame.columns:
            raise DataError.from_key("calendar.error.missing_column", column=minutes)
        minutes = frame[minutes]
    if isinstance(clock, str) and clock not in CLOCKS and clock in frame.columns:
        clock = frame[clock].to_numpy(dtype=object)
    business = _check_clock(clock, n)
    m, m_ok = _as_minutes(minutes.to_numpy() if isinstance(minutes, pd.Series) else minutes, n)
    start = _column(frame, start_col)
    row_group, cals = _groups(frame, store_col, calendars, default)
    nat = np.iinfo(np.int64).min
    res = np.full(n, nat, dtype=np.int64)
    for g, cal in enumerate(cals):
        rows = np.flatnonzero(row_group == g)
        if rows.size == 0:
            continue
        a = _utc_ns(start[rows], cal.timezone)
        ok = (a != nat) & m_ok[rows]
        ns = np.where(ok, a + m[rows], nat)
        bus = business[rows]
        if bus.any():
            when, found = _add_ns(cal, a[bus], m[rows][bus], ok[bus])
            ns[bus] = np.where(ok[bus] & found, when, nat)
        if start.tz is None:  # back to this store's wall-clock time
            local = (
                pd.DatetimeIndex(ns.astype("datetime64[ns]"))
                .tz_localize("UTC")
                .tz_convert(cal.timezone)
                .tz_localize(None)
            )
            ns = local.asi8
        res[rows] = ns
    idx = pd.DatetimeIndex(res.astype("datetime64[ns]"))
    if start.tz is not None:
        idx = idx.tz_localize("UTC").tz_convert(start.tz)
    return pd.Series(idx, index=frame.index, name="deadline")
