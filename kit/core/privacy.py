"""Privacy by default: masking customers' personal data before anything is shown or saved.

Names keep their first character (张三丰 → 张**), mobile numbers their first three and last four
digits (13812345678 → 138****5678; written with spaces, dashes or a ``+86`` / ``0086`` prefix
too: ``+86 139 1234 5678`` → ``+86 139****5678``), e-mails the first character of the local
part (zhang.san@example.com → z***@example.com) and ID-card numbers the first three and the last
four characters (a trailing ``X`` included).  All masks are vectorised string operations on
whole columns; :func:`mask_text` masks the same things where they appear inside free text (a
rejected line of a file, a note).

Which columns are personal is decided by name (:data:`PII_COLUMNS`), and
:func:`find_pii` scans any text -- an executed notebook, an HTML report, an export -- for phone
numbers, e-mails and ID numbers that slipped through.

Examples
--------
>>> import pandas as pd
>>> mask_phone(pd.Series(["13812345678"])).tolist()
['138****5678']
>>> mask_name(pd.Series(["张三丰", "Li"])).tolist()
['张**', 'L*']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

__all__ = [
    "EMAIL_RE",
    "ID_NUMBER_RE",
    "PHONE_RE",
    "PII_COLUMNS",
    "find_pii",
    "mask_email",
    "mask_frame",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "mask_text",
]

#: Column name -> kind of personal data; masked by :func:`mask_frame`.
PII_COLUMNS = {
    "customer_name": "name",
    "customer_phone": "phone",
    "customer_email": "email",
    "customer_id_number": "id_number",
}

#: A Chinese mobile number, optionally with a ``+86`` / ``0086`` / ``86`` prefix, written as 11
#: digits or as 3-4-4 digits separated by single spaces or dashes (the same separator twice).
PHONE_RE = re.compile(r"(?<![\d+])(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?P<sep>[ -]?)\d{4}(?P=sep)\d{4}(?!\d)")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
#: An 18-character resident ID-card number (the last character may be ``X``).
ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def _text(values: pd.Series) -> pd.Series:
    return values.astype("string")


def mask_name(values: pd.Series) -> pd.Series:
    """Keep the first character of a name and replace the rest with ``*``."""
    s = _text(values)
    return s.str.slice(0, 1) + s.str.slice(1).str.replace(r".", "*", regex=True)


def mask_phone(values: pd.Series) -> pd.Series:
    """Keep the first three and last four digits: ``138****5678``; short numbers fully masked.

    Spaces and dashes are ignored; a country prefix ``+86`` / ``0086`` in front of a mobile
    number is kept, followed by one space.

    Examples
    --------
    >>> import pandas as pd
    >>> mask_phone(pd.Series(["139 1234 5678", "+86 13912345678", "0086-139-1234-5678"])).tolist()
    ['139****5678', '+86 139****5678', '0086 139****5678']
    """
    s = _text(values).str.replace(r"[\s-]", "", regex=True)
    parts = s.str.extract(r"^(?P<cc>(?:\+|00)?86)?(?P<number>.*)$")
    prefix = parts["cc"].where(parts["number"].str.fullmatch(r"1[3-9][\d*]{9}").fillna(False))
    number = parts["number"].where(prefix.notna(), s)
    long_enough = number.str.len() >= 8
    masked = number.str.slice(0, 3) + number.str.slice(3, -4).str.replace(r".", "*", regex=True) + number.str.slice(-4)
    masked = masked.where(long_enough, number.str.replace(r".", "*", regex=True))
    return (prefix + " " + masked).where(prefix.notna(), masked)


def mask_email(values: pd.Series) -> pd.Series:
    """Keep the first character of the local part and the domain: ``z***@example.com``."""
    s = _text(values)
    parts = s.str.extract(r"^(?P<first>[^@])[^@]*@(?P<domain>.+)$")
    masked = parts["first"] + "***@" + parts["domain"]
    return masked.where(parts["first"].notna(), s.str.replace(r".", "*", regex=True))


def mask_id_number(values: pd.Series) -> pd.Series:
    """Keep the first three and last four characters of an ID-card number."""
    s = _text(values)
    return s.str.slice(0, 3) + s.str.slice(3, -4).str.replace(r".", "*", regex=True) + s.str.slice(-4)


_MASKERS = {"name": mask_name, "phone": mask_phone, "email": mask_email, "id_number": mask_id_number}


def mask_frame(frame: pd.DataFrame, columns: dict[str, str] | None = None) -> pd.DataFrame:
    """A copy of ``frame`` with every personal-data column masked.

    Parameters
    ----------
    frame : DataFrame
    columns : dict, optional
        ``{column: kind}`` with kind in ``name, phone, email, id_number``; defaults to
        :data:`PII_COLUMNS` (columns that are absent are skipped).
    """
    columns = PII_COLUMNS if columns is None else columns
    out = frame.copy()
    for col, kind in columns.items():
        if col in out.columns:
            out[col] = _MASKERS[kind](out[col])
    return out


def _mask_match(kind: str):
    masker = _MASKERS[kind]
    return lambda m: str(masker(pd.Series([m.group(0)])).iloc[0])


def mask_text(values: pd.Series) -> pd.Series:
    """Mask every phone number, e-mail and ID-card number found *inside* each text.

    For free text -- a rejected line of a file, a note column -- where the personal data is
    not a column of its own.  Missing values stay missing; names cannot be recognised in free
    text (see :func:`find_pii`).

    Examples
    --------
    >>> import pandas as pd
    >>> mask_text(pd.Series(["T1,001,张三,139-1234-5678,a.b@x.cn", None])).tolist()
    ['T1,001,张三,139****5678,a***@x.cn', nan]
    """
    s = values.astype("str") if values.dtype != "str" else values
    for regex, kind in ((ID_NUMBER_RE, "id_number"), (PHONE_RE, "phone"), (EMAIL_RE, "email")):
        s = s.str.replace(regex, _mask_match(kind), regex=True)
    return s


def find_pii(text: str, names: Iterable[str] = ()) -> list[str]:
    """Every unmasked phone number, e-mail, ID number or listed name found in ``text``.

    Used by the tests (and available to users) to check an executed notebook or an export.
    Phone numbers are found in every spelling :func:`mask_phone` masks (``139 1234 5678``,
    ``139-1234-5678``, ``+86 13912345678``).

    Examples
    --------
    >>> find_pii("call +86 139 1234 5678 or 139****5678")
    ['+86 139 1234 5678']
    """
    found = [m.group(0) for m in PHONE_RE.finditer(text)] + EMAIL_RE.findall(text) + ID_NUMBER_RE.findall(text)
    found += [n for n in names if n and n in text]
    return found
