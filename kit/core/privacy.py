"""Privacy by default: masking customers' personal data before anything is shown or saved.

Names keep their first character (张三丰 → 张**), mobile numbers their first three and last four
digits (13812345678 → 138****5678), e-mails the first character of the local part
(zhang.san@example.com → z***@example.com) and ID-card numbers the first three and the last four
characters.  All masks are vectorised string operations on whole columns.

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
]

#: Column name -> kind of personal data; masked by :func:`mask_frame`.
PII_COLUMNS = {
    "customer_name": "name",
    "customer_phone": "phone",
    "customer_email": "email",
    "customer_id_number": "id_number",
}

PHONE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def _text(values: pd.Series) -> pd.Series:
    return values.astype("string")


def mask_name(values: pd.Series) -> pd.Series:
    """Keep the first character of a name and replace the rest with ``*``."""
    s = _text(values)
    return s.str.slice(0, 1) + s.str.slice(1).str.replace(r".", "*", regex=True)


def mask_phone(values: pd.Series) -> pd.Series:
    """Keep the first three and last four digits: ``138****5678``; short numbers fully masked."""
    s = _text(values).str.replace(r"[\s-]", "", regex=True)
    long_enough = s.str.len() >= 8
    masked = s.str.slice(0, 3) + s.str.slice(3, -4).str.replace(r".", "*", regex=True) + s.str.slice(-4)
    return masked.where(long_enough, s.str.replace(r".", "*", regex=True))


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


def find_pii(text: str, names: Iterable[str] = ()) -> list[str]:
    """Every unmasked phone number, e-mail, ID number or listed name found in ``text``.

    Used by the tests (and available to users) to check an executed notebook or an export.
    """
    found = PHONE_RE.findall(text) + EMAIL_RE.findall(text) + ID_NUMBER_RE.findall(text)
    found += [n for n in names if n and n in text]
    return found
