"""One exception hierarchy for the whole kit, with messages in Chinese and English.

Every problem a user can cause -- a missing file, a wrong column, a bad parameter, a broken
workspace file -- is raised as a :class:`KitError` subclass whose message says, in the user's
language, *what* is wrong, *where* (file, sheet, row, column) and *what to do*.  The command line
and the notebooks print that message without a traceback.

Examples
--------
>>> err = DataError("文件为空", "the file is empty", file="x.csv", hint_zh="请重新导出", hint_en="export it again")
>>> print(err.message("en"))
the file is empty — file: x.csv. What to do: export it again
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Exit codes of the command line (see DESIGN.md): 2 = input unusable.
EXIT_UNUSABLE = 2
#: 1 = it ran, but something failed or rows were rejected.
EXIT_PARTIAL = 1


@dataclass
class _Where:
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    cell: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class KitError(Exception):
    """Base class of every error the kit raises on purpose.

    Parameters
    ----------
    zh, en : str
        The message in Chinese and in English.
    file, sheet, row, column : optional
        Where the problem is.  ``row`` is the 1-based line number in the source file
        (the header is line 1), as a user sees it in Excel.
    hint_zh, hint_en : str, optional
        What the user should do about it.
    """

    exit_code = EXIT_UNUSABLE
    #: Language of the message IPython shows instead of a traceback (set by :mod:`kit.notebook`).
    display_lang = "en"

    def __init__(
        self,
        zh: str,
        en: str,
        *,
        file: str | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        hint_zh: str = "",
        hint_en: str = "",
    ) -> None:
        self.zh = zh
        self.en = en
        self.where = _Where(file=None if file is None else str(file), sheet=sheet, row=row, column=column)
        self.hint_zh = hint_zh
        self.hint_en = hint_en
        super().__init__(self.message("en"))

    def _where_text(self, lang: str) -> str:
        w = self.where
        parts = []
        names = {
            "file": ("文件", "file"),
            "sheet": ("工作表", "sheet"),
            "row": ("行", "row"),
            "column": ("列", "column"),
        }
        for key in ("file", "sheet", "row", "column"):
            value = getattr(w, key)
            if value is not None:
                zh, en = names[key]
                parts.append(f"{zh}：{value}" if lang == "zh" else f"{en}: {value}")
        return ("，" if lang == "zh" else ", ").join(parts)

    def message(self, lang: str = "en") -> str:
        """The full message in ``lang`` (``"zh"`` or ``"en"``): what, where, what to do."""
        zh = lang == "zh"
        text = self.zh if zh else self.en
        where = self._where_text(lang)
        if where:
            text += (" —— " if zh else " — ") + where
        hint = self.hint_zh if zh else self.hint_en
        if hint:
            text += ("。处理办法：" if zh else ". What to do: ") + hint
        return text

    def __str__(self) -> str:  # pragma: no cover - exercised through message()
        return self.message("en")

    def _render_traceback_(self) -> list[str]:
        """What IPython shows in a notebook instead of a traceback: the message alone.

        The cell still ends in error, so papermill and ``kit run`` record the failure.
        """
        lang = KitError.display_lang
        label = "出错了" if lang == "zh" else "Problem"
        return [f"{label} [{type(self).__name__}]: {self.message(lang)}"]


class DataError(KitError):
    """An input file cannot be used as it is (missing, empty, wrong columns, bad encoding)."""


class ParameterError(KitError):
    """A notebook or command-line parameter is missing, misspelled or of the wrong type."""


class WorkspaceError(KitError):
    """A workspace file (customer types, standards, goals) is invalid or cannot be saved."""


class RunError(KitError):
    """A batch run could not be set up (no stores selected, notebook not found, ...)."""

    exit_code = EXIT_PARTIAL
