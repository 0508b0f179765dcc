"""Parsing the dates and times real exports contain, with explicit formats and no silent NaT.

Helpdesk, POS and survey tools -- and people typing into Excel -- write the same moment in many
ways.  :func:`parse_datetimes` accepts the five ways met in practice, plus a few close variants:

=====================  ==========================  ===========================================
family                 example                     formats tried (in this order)
=====================  ==========================  ===========================================
``iso``                ``2026-03-05 14:02``        ``%Y-%m-%d %H:%M:%S``, ``… %H:%M``,
                                                   ``%Y-%m-%d``, ``T`` separator, fractions,
                                                   and ISO 8601 with an offset (``+08:00``, ``Z``)
``slash``              ``2026/3/5 14:02``          ``%Y/%m/%d %H:%M:%S``, ``… %H:%M``, ``%Y/%m/%d``
``dot``                ``2026.03.05``              ``%Y.%m.%d %H:%M:%S``, ``… %H:%M``, ``%Y.%m.%d``
``chinese``            ``2026年3月5日 14时02分``   ``%Y年%m月%d日 %H时%M分%S秒``, ``… %H时%M分``,
                                                   ``… %H时``, ``… %H:%M:%S``, ``… %H:%M``, ``%Y年%m月%d日``
``excel_serial``       ``46086.5847``              days since 1899-12-30 (Excel's origin), rounded to
                                                   the second; only 1950-01-01 … 2099-12-31
``compact``            ``20260305``                ``%Y%m%d``
=====================  ==========================  ===========================================

Every value is sorted into one family by cheap whole-column string tests, and each family's
formats are tried in turn on the values still unparsed, with :func:`pandas.to_datetime` and an
explicit ``format`` (strict: ``2026-02-30`` is an error, not 2 March).  Day-first and month-first
dates (``03/05/2026``) are ambiguous and never guessed: a column written that way is read with the
format declared for it (``format="%m/%d/%Y %H:%M"``, from ``formats:`` in ``mapping.yaml``), and
values not matching it are reported in ``bad``.  A value no format matches
is reported in ``bad`` -- the caller rejects its row; nothing becomes ``NaT`` silently.  Values
with a UTC offset are converted to Asia/Shanghai local time; all results are naive
``datetime64[us]`` in local time.

Examples
--------
>>> import pandas as pd
>>> parsed = parse_datetimes(pd.Series(["2026-03-05 14:02", "2026/3/5 14:02", "2026.03.05",
...                                     "2026年3月5日 14时02分", "46086.5847222", "5 March", None]))
>>> parsed.values.dt.strftime("%Y-%m-%d %H:%M").tolist()[:5]
['2026-03-05 14:02', '2026-03-05 14:02', '2026-03-05 00:00', '2026-03-05 14:02', '2026-03-05 14:02']
>>> parsed.bad.tolist()
[False, False, False, False, False, True, False]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["DATE_ONLY_MIN", "EXCEL_ORIGIN", "FORMATS", "LOCAL_TZ", "ParsedTimes", "UNIT", "parse_datetimes"]

#: Excel stores dates as days since this origin (the 1900 leap-year bug folded in).
EXCEL_ORIGIN = np.datetime64("1899-12-30T00:00:00", "us")
#: Serial numbers outside this window (1950-01-01 … 2099-12-31) are not taken for dates: a stray
#: ``5`` in a date column is an error, not 4 January 1900.
SERIAL_MIN, SERIAL_MAX = 18264.0, 73051.0
#: The local time zone of the kit's data; values with an offset are converted to it.
LOCAL_TZ = "Asia/Shanghai"
UNIT = "datetime64[us]"
#: A column whose values are all at midnight is date-only even when written with a time
#: (``2026-03-05 00:00:00``) once it has this many values (see :attr:`ParsedTimes.date_only`).
DATE_ONLY_MIN = 10

#: Formats per family, most precise first.
FORMATS: dict[str, tuple[str, ...]] = {
    "iso": (
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d",
        "%Y-%m-%d %H:%M:%S.%f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S.%f",
    ),
    "slash": ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d"),
    "dot": ("%Y.%m.%d %H:%M:%S", "%Y.%m.%d %H:%M", "%Y.%m.%d"),
    "chinese": (
        "%Y年%m月%d日 %H时%M分%S秒",
        "%Y年%m月%d日 %H时%M分",
        "%Y年%m月%d日 %H时",
        "%Y年%m月%d日 %H:%M:%S",
        "%Y年%m月%d日 %H:%M",
        "%Y年%m月%d日",
    ),
    "compact": ("%Y%m%d",),
}
_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})$"


@dataclass(frozen=True)
class ParsedTimes:
    """The result of :func:`parse_datetimes`.

    Attributes
    ----------
    values : Series
        Naive ``datetime64[us]`` in local time, indexed like the input; ``NaT`` where the input
        was empty *or* unparseable (see ``bad``).
    bad : ndarray of bool
        True where the input held something that is not a date in any accepted format.
    formats : dict
        How many values each family parsed (``{"iso": 998, "excel_serial": 2}``).
    """

    values: pd.Series
    bad: np.ndarray
    formats: dict[str, int] = field(default_factory=dict)
    timed: int = 0

    @property
    def date_only(self) -> bool:
        """True when the values carry no time of day: at least one value, every one at 00:00:00,
        and either none written with a time (``2026-03-05``, an Excel date without a fraction)
        or at least :data:`DATE_ONLY_MIN` of them (a system that writes ``00:00:00`` after every date).

        Examples
        --------
        >>> parse_datetimes(pd.Series(["2026-03-05", "2026/3/6"])).date_only
        True
        >>> parse_datetimes(pd.Series(["2026-03-05", "2026-03-05 00:00"])).date_only
        False
        >>> parse_datetimes(pd.Series(["2026-03-05 09:30"])).date_only
        False
        """
        stamps = self.values.dropna()
        if stamps.empty or not bool((stamps == stamps.dt.normalize()).all()):
            return False
        return self.timed == 0 or len(stamps) >= DATE_ONLY_MIN


def _as_text(values: pd.Series) -> pd.Series:
    text = values.astype("str") if values.dtype != "str" else values
    text = text.str.strip()
    return text.mask(text == "")


def _parse_serial(numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Excel serial day numbers -> (datetime64[us], ok)."""
    ok = np.isfinite(numbers) & (numbers >= SERIAL_MIN) & (numbers < SERIAL_MAX)
    micro = np.where(ok, np.round(np.where(ok, numbers, 0.0) * 86400.0) * 1_000_000, 0).astype("int64")
    return EXCEL_ORIGIN + micro.astype("timedelta64[us]"), ok


def parse_datetimes(values: pd.Series, *, tz: str = LOCAL_TZ, format: str | None = None) -> ParsedTimes:
    """Parse a column of dates/times written in any of the accepted formats (see module doc).

    Parameters
    ----------
    values : Series
        Text (any mix of the formats), numbers (Excel serials), or already ``datetime64``
        (naive = local time; tz-aware values are converted to ``tz``).
    tz : str
        The local time zone results are expressed in.
    format : str, optional
        The one format of the column's text (``"%m/%d/%Y %H:%M"``, ``"%d-%m-%Y"``): values are
        read with it alone, except those written year first (``2026-03-05 14:02``, as Excel
        date cells are read), which cannot be misread; every other value is ``bad``.

    Returns
    -------
    ParsedTimes
        ``values`` (naive local ``datetime64[us]``), ``bad`` (mask of unparseable entries) and
        ``formats`` (counts per family).

    Examples
    --------
    >>> import pandas as pd
    >>> r = parse_datetimes(pd.Series(["2026/3/5 9:05", "2026-02-30", ""]))
    >>> r.values.tolist()[0], r.bad.tolist()
    (Timestamp('2026-03-05 09:05:00'), [False, True, False])
    >>> us = parse_datetimes(pd.Series(["03/05/2026 14:02", "13/05/2026 14:02"]), format="%m/%d/%Y %H:%M")
    >>> us.values.tolist()[0], us.bad.tolist()
    (Timestamp('2026-03-05 14:02:00'), [False, True])
    """
    index = values.index
    n = len(values)
    dtype = values.dtype
    if isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(dtype):
        out = values.dt.tz_convert(tz).dt.tz_localize(None) if isinstance(dtype, pd.DatetimeTZDtype) else values
        out = out.astype(UNIT)
        timed = int((out.notna() & (out != out.dt.normalize())).sum())
        return ParsedTimes(out, np.zeros(n, bool), {"datetime": int(out.notna().sum())}, timed)
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        stamps, ok = _parse_serial(numbers)
        present = ~np.isnan(numbers)
        result = np.where(ok, stamps, np.datetime64("NaT", "us"))
        timed = int((ok & (np.round(np.where(ok, numbers, 0) * 86400) % 86400 != 0)).sum())
        return ParsedTimes(pd.Series(result, index=index), present & ~ok, {"excel_serial": int(ok.sum())}, timed)

    text = _as_text(values)
    present = text.notna().to_numpy()
    result = np.full(n, np.datetime64("NaT"), dtype=UNIT)
    todo = present.copy()
    counts: dict[str, int] = {}
    timed = [0]

    def run(label: str, fmt: str, idx: np.ndarray, source: pd.Series) -> None:
        idx = idx[todo[idx]]
        if len(idx) == 0:
            return
        whole = len(idx) == n
        parsed = pd.to_datetime(source if whole else source.iloc[idx], format=fmt, errors="coerce")
        stamps = parsed.to_numpy(dtype=UNIT)
        got = ~np.isnat(stamps)
        if "%H" in fmt:
            timed[0] += int(got.sum())
        if whole and got.all():
            result[:] = stamps
            todo[:] = False
            counts[label] = counts.get(label, 0) + n
        elif got.any():
            result[idx[got]] = stamps[got]
            todo[idx[got]] = False
            counts[label] = counts.get(label, 0) + int(got.sum())

    if format is not None:  # the declared format, then the unambiguous year-first ISO forms
        present_idx = np.flatnonzero(present)
        run("declared", format, present_idx, text)
        for fmt in FORMATS["iso"]:
            run("iso", fmt, np.flatnonzero(todo), text)
        return ParsedTimes(pd.Series(result, index=index), todo, counts, timed[0])

    # Fast path: the format most values of a sample use is tried on the whole column first
    # (a format that does not match costs ~6x one that does, so guessing well matters).
    present_idx = np.flatnonzero(present)
    sample = text.iloc[present_idx[:200]]
    best, best_hits = None, 0
    for fam in ("iso", "slash", "dot", "chinese"):
        for fmt in FORMATS[fam]:
            hits = int(pd.to_datetime(sample, format=fmt, errors="coerce").notna().sum())
            if hits > best_hits:
                best, best_hits = (fam, fmt), hits
            if best_hits == len(sample):
                break
        if best_hits == len(sample):
            break
    if best is not None:
        run(best[0], best[1], present_idx, text)

    # The rest: sort each value into one family with whole-column tests (no per-value Python),
    # then try that family's formats, most precise first.
    left = np.flatnonzero(todo)
    if len(left):
        sub = text.iloc[left]
        has = {ch: sub.str.contains(ch, regex=False).fillna(False).to_numpy(dtype=bool) for ch in ("年", "/", "-")}
        digits = sub.str.fullmatch(r"\d+(?:[.,]\d+)?").fillna(False).to_numpy(dtype=bool)
        family = np.select(
            [has["年"], has["/"], has["-"], digits], ["chinese", "slash", "iso", "number"], default="dot"
        )
        for fam in ("iso", "slash", "dot"):
            for fmt in FORMATS[fam]:
                run(fam, fmt, left[family == fam], text)
        iso_left = left[(family == "iso") & todo[left]]
        if len(iso_left):  # ISO 8601 with a UTC offset: convert to local time
            offset = text.iloc[iso_left].str.contains(_OFFSET, regex=True).fillna(False).to_numpy(dtype=bool)
            pick = iso_left[offset]
            if len(pick):
                parsed = pd.to_datetime(text.iloc[pick], format="ISO8601", errors="coerce", utc=True)
                local = parsed.dt.tz_convert(tz).dt.tz_localize(None)
                got = local.notna().to_numpy()
                result[pick[got]] = local.to_numpy(dtype=UNIT)[got]
                todo[pick[got]] = False
                counts["iso"] = counts.get("iso", 0) + int(got.sum())
                timed[0] += int(got.sum())
        cn = left[(family == "chinese") & todo[left]]
        if len(cn):
            norm = (
                text.iloc[cn]
                .str.replace("点", "时", regex=False)
                .str.replace(r"日\s*", "日 ", regex=True)
                .str.replace(r"\s+", " ", regex=True)
                .str.strip()
            )
            full = pd.Series(pd.NA, index=index, dtype="str")
            full.iloc[cn] = norm.to_numpy()
            for fmt in FORMATS["chinese"]:
                run("chinese", fmt, cn, full)
        num = left[(family == "number") & todo[left]]
        if len(num):
            eight = text.iloc[num].str.fullmatch(r"(?:19|20|21)\d{6}").fillna(False).to_numpy(dtype=bool)
            run("compact", FORMATS["compact"][0], num[eight], text)
            num = num[todo[num]]
            serial = text.iloc[num].str.replace(",", ".", regex=False)  # 46086,5 from a decimal-comma workbook
            numbers = pd.to_numeric(serial, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
            stamps, ok = _parse_serial(numbers)
            result[num[ok]] = stamps[ok]
            todo[num[ok]] = False
            if ok.any():
                counts["excel_serial"] = int(ok.sum())
                timed[0] += int((np.round(numbers[ok] * 86400) % 86400 != 0).sum())
    return ParsedTimes(pd.Series(result, index=index), todo, counts, timed[0])
