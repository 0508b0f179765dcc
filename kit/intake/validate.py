"""``kit validate FILE --kind complaints [--mapping m.yaml] [--lang zh|en]``: check an export.

The command reads the file through :func:`kit.intake.load.load_table` exactly as the notebooks do, prints
what it found -- rows read / accepted / rejected, problems by reason, the column mapping used --
writes the rejects file, and exits with

* ``0`` -- every row passed;
* ``1`` -- the file was read, but some rows were rejected (see the rejects file);
* ``2`` -- the file cannot be used (missing, empty, wrong columns, unreadable ...): one message
  says what and where, without a traceback.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = p.write_text("交易日期,客户编号,门店编号,金额\\n2026-03-05,K1,001,12.5\\n2026-03-05,K2,001,-3\\n", encoding="utf-8")
>>> code = validate_command(p, "transactions", lang="en")  # doctest: +ELLIPSIS
Checking t.csv (transactions)
...
>>> code
1
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from kit.core.errors import EXIT_PARTIAL, EXIT_UNUSABLE, KitError
from kit.core.i18n import check_lang, t
from kit.intake.schemas import KINDS

__all__ = ["add_parser", "format_report", "validate_command"]


def format_report(result: Any, lang: str = "en") -> str:
    """The summary of a :class:`kit.intake.load.LoadResult` as printed by ``kit validate``.

    Examples
    --------
    >>> import pandas as pd
    >>> from pathlib import Path
    >>> from kit.intake.load import LoadResult
    >>> r = LoadResult("stores", pd.DataFrame({"store_id": ["001"]}), pd.DataFrame(), 1, Path("s.csv"),
    ...                mapping={"门店编号": "store_id"}, encoding="utf-8")
    >>> print(format_report(r, "en"))  # doctest: +NORMALIZE_WHITESPACE
    Checking s.csv (stores)
      encoding: utf-8
      rows read      1
      rows accepted  1
      rows rejected  0
    column mapping (header in the file → canonical column)
      门店编号 → store_id
    s.csv: all 1 rows passed the checks
    """
    lang = check_lang(lang)
    lines = [t("io.summary.title", lang, file=result.source.name, kind=result.kind)]
    if result.encoding:
        lines.append("  " + t("io.summary.encoding", lang, encoding=result.encoding))
    if result.sheet:
        lines.append("  " + t("io.summary.sheet", lang, sheet=result.sheet))
    labels = [t(f"io.summary.{k}", lang) for k in ("read", "accepted", "rejected")]
    width = max(len(s) for s in labels) + 2
    for label, value in zip(labels, (result.rows_read, result.rows_accepted, result.rows_rejected)):
        lines.append(f"  {label:<{width}}{value}")
    if result.blank_rows:
        lines.append("  " + t("io.summary.blank", lang, n=result.blank_rows))
    counts = result.reason_counts()
    if len(counts):
        lines.append(t("io.summary.by_reason", lang))
        first = result.rejects.drop_duplicates("reason").set_index("reason")
        text_col = "reason_zh" if lang == "zh" else "reason_en"
        for reason, count in counts.items():
            cols = sorted(set(result.rejects.loc[result.rejects["reason"] == reason, "column"].astype(str)) - {""})
            where = f" [{', '.join(cols)}]" if cols else ""
            lines.append(f"  {count:>7}  {reason}{where}: {first.loc[reason, text_col]}")
    lines.append(t("io.summary.mapping", lang))
    for header, column in result.mapping.items():
        lines.append(f"  {header} → {column}")
    if result.unmapped:
        lines.append("  " + t("io.summary.unmapped", lang, headers=", ".join(result.unmapped)))
    for zh, en in result.notes:
        lines.append("  " + (zh if lang == "zh" else en))
    name = result.source.name
    if getattr(result, "constants", None):
        pairs = ", ".join(f"{c} = {v}" for c, v in result.constants.items())
        lines.append("  " + t("io.chain.constants", lang, file=name, pairs=pairs))
    if getattr(result, "date_only", ()):
        lines.append("  " + t("io.chain.date_only", lang, file=name, columns=", ".join(result.date_only)))
    if getattr(result, "lines_accepted", None) is not None:
        lines.append(
            "  " + t("io.chain.line_items", lang, file=name, lines=result.lines_accepted, receipts=len(result.data))
        )
    if result.kind != "stores" and not result.stores_checked:
        lines.append(t("io.summary.stores_unchecked", lang))
    lines.append(result.summary(lang))
    return "\n".join(lines)


def validate_command(
    file: str | Path,
    kind: str,
    mapping: str | Path | None = None,
    lang: str = "en",
    sheet: str | None = None,
    stores: str | Path | None = None,
    out: str | Path | None = None,
    *,
    ces_scale: int = 7,
    stream: TextIO | None = None,
    err_stream: TextIO | None = None,
) -> int:
    """Validate one export and print the summary; return the exit code.

    Parameters
    ----------
    file : path
        The file (or folder of monthly files) to check.
    kind : {"stores", "complaints", "surveys", "transactions"}
    mapping : path, optional
        A user mapping YAML (see :mod:`kit.intake.load`).
    lang : {"en", "zh"}
    sheet : str, optional
        Excel sheet name.
    stores : path, optional
        The stores file; when given, store ids are checked against it.
    out : path, optional
        Where to write the rejects: a ``.csv`` file name, or a folder (default: next to ``file``).
    ces_scale : {7, 5}
        The declared CES scale (surveys).
    stream, err_stream : file-like, optional
        Where to print (default ``sys.stdout`` / ``sys.stderr``).

    Returns
    -------
    int
        0 all rows passed, 1 rows rejected, 2 the file is unusable.

    Examples
    --------
    >>> validate_command("no/such/file.csv", "complaints", err_stream=sys.stdout)  # doctest: +ELLIPSIS
    the file does not exist — file: no/such/file.csv...
    2
    """
    from kit.intake.load import load_table

    stream = stream or sys.stdout
    err_stream = err_stream or sys.stderr
    try:
        lang = check_lang(lang)
        target: dict[str, Any] = {}
        if out is not None:
            out_path = Path(out)
            if out_path.suffix.lower() == ".csv":
                target["rejects_file"] = out_path
            else:
                target["rejects_dir"] = out_path
        result = load_table(kind, file, mapping=mapping, sheet=sheet, stores=stores, ces_scale=ces_scale, **target)
    except KitError as err:
        print(err.message(lang if lang in ("zh", "en") else "en"), file=err_stream)
        return EXIT_UNUSABLE
    print(format_report(result, lang), file=stream)
    return EXIT_PARTIAL if result.rows_rejected else 0


def _run(args: argparse.Namespace) -> int:
    return validate_command(
        args.file,
        args.kind,
        mapping=args.mapping,
        lang=args.lang,
        sheet=args.sheet,
        stores=args.stores,
        out=args.out,
        ces_scale=args.ces_scale,
    )


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``validate`` on an ``argparse`` sub-parsers object (sets ``func``).

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="kit")
    >>> _ = add_parser(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["validate", "x.csv", "--kind", "complaints", "--lang", "zh"])
    >>> args.kind, args.lang, args.func.__name__
    ('complaints', 'zh', '_run')
    """
    p = subparsers.add_parser(
        "validate",
        help="check an export (csv/xlsx/parquet or a folder): rows read/accepted/rejected, rejects file",
        description="Read a file as the notebooks do, print rows read / accepted / rejected, problems by reason "
        "and the column mapping, and write the rejected rows to <name>.rejects.csv. "
        "Exit code: 0 clean, 1 rows rejected, 2 file unusable.",
    )
    p.add_argument("file", help="the file (or folder of monthly files) to check")
    p.add_argument("--kind", required=True, choices=KINDS, help="what the file holds")
    p.add_argument("--mapping", help="YAML file mapping your headers to the kit's columns")
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the summary (default zh)")
    p.add_argument("--sheet", help="Excel sheet name (default: the sheet named after the kind, else the first)")
    p.add_argument("--stores", help="stores file to check store ids against")
    p.add_argument("--out", help="rejects file (.csv) or folder (default: next to FILE)")
    p.add_argument("--ces-scale", type=int, choices=[5, 7], default=7, help="CES scale of a surveys file (default 7)")
    p.set_defaults(func=_run)
    return p
