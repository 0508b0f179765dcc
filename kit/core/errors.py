"""One exception hierarchy for the whole kit, its messages taken from the locale catalogue by key.

Every problem a user can cause -- a missing file, a wrong column, a bad parameter, a broken
workspace file -- is raised as a :class:`KitError` subclass built from a catalogue key
(``kit/core/locale/*.yaml``) and the values of its placeholders: what is wrong, *where* (file,
sheet, row, column) and *what to do* (the hint, by default the key's ``hint`` sibling).  The
text is rendered when it is shown, in the language asked for, or else in the message language of
the current context (:func:`set_message_language`; a notebook sets it from its ``lang``
parameter).  The command line and the notebooks print that message without a traceback.

Errors pickle with their key, values and place, so an error raised in a batch worker reaches
the manifest intact.  Values that are themselves texts in both languages are passed as
:class:`Text` and rendered in the language of the message.

Examples
--------
>>> err = DataError.from_key("io.error.empty_file", file="x.csv")
>>> print(err.message("en"))
the file is empty — file: x.csv. What to do: export the data again from your system
>>> import pickle
>>> pickle.loads(pickle.dumps(err)).message("zh") == err.message("zh")
True
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from kit.core.catalog import has_text, text

__all__ = [
    "EXIT_PARTIAL",
    "EXIT_UNUSABLE",
    "DataError",
    "KitError",
    "ParameterError",
    "RunError",
    "Text",
    "WorkspaceError",
    "message_language",
    "set_message_language",
]

#: Exit codes of the command line (see DESIGN.md): 2 = input unusable.
EXIT_UNUSABLE = 2
#: 1 = it ran, but something failed or rows were rejected.
EXIT_PARTIAL = 1

_LANGUAGE: ContextVar[str] = ContextVar("kit_message_language", default="en")


def set_message_language(lang: str) -> None:
    """Show :class:`KitError` messages in ``lang`` (``zh`` or ``en``) in the current context.

    A notebook calls it (through :func:`kit.notebook.open_store_report` and friends) with its
    ``lang`` parameter: a :class:`KitError` then renders in IPython as one line in that
    language -- what, where, what to do -- instead of a traceback, and the cell still fails, so
    a batch run records it.  Unknown languages fall back to English.

    Examples
    --------
    >>> set_message_language("zh"); message_language()
    'zh'
    >>> set_message_language("fr"); message_language()
    'en'
    """
    _LANGUAGE.set(lang if lang in ("zh", "en") else "en")


def message_language() -> str:
    """The language messages are shown in, in the current context (``en`` unless set)."""
    return _LANGUAGE.get()


@dataclass(frozen=True)
class Text:
    """A text of the catalogue not yet rendered: ``key`` and the values of its placeholders.

    Use it for a placeholder value that must follow the message's language (a reason, a list
    of known values).  ``Text.literal(zh, en)`` wraps two texts that do not come from the
    catalogue (for example the two wordings of a nested error).

    Examples
    --------
    >>> Text("io.error.empty_file").render("zh")
    '文件是空的'
    >>> Text.literal("二", "two").render("en")
    'two'
    """

    key: str
    values: dict[str, Any] = field(default_factory=dict)
    zh: str | None = None
    en: str | None = None

    @classmethod
    def literal(cls, zh: str, en: str) -> Text:
        return cls("", {}, zh, en)

    def render(self, lang: str) -> str:
        if not self.key:
            return (self.zh if lang == "zh" else self.en) or ""
        return text(self.key, lang, **_rendered(self.values, lang))


def _rendered(values: dict[str, Any], lang: str) -> dict[str, Any]:
    return {k: v.render(lang) if isinstance(v, Text) else v for k, v in values.items()}


@dataclass
class _Where:
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None


_WHERE_LABELS = {
    "file": ("文件", "file"),
    "sheet": ("工作表", "sheet"),
    "row": ("行", "row"),
    "column": ("列", "column"),
}


def _hint_key(key: str) -> str:
    """The hint of ``key`` by the catalogue's conventions: ``a.hint.b`` for ``a.error.b``, else ``<key>_hint``."""
    parts = key.split(".")
    if "error" in parts:
        i = len(parts) - 1 - parts[::-1].index("error")
        sibling = ".".join(parts[:i] + ["hint"] + parts[i + 1 :])
        if has_text(sibling):
            return sibling
    return f"{key}_hint" if has_text(f"{key}_hint") else ""


class KitError(Exception):
    """Base class of every error the kit raises on purpose.

    Build one with :meth:`from_key`; the texts are rendered by :meth:`message`.

    Parameters
    ----------
    key : str
        Catalogue key of the message, e.g. ``"io.error.missing_column"``.
    hint : str, optional
        Catalogue key of what to do.  By default the key's sibling with ``hint`` in place of
        ``error`` (``io.hint.missing_column``) when the catalogue has it; ``""`` for none.
    file, sheet, row, column : optional
        Where the problem is.  ``row`` is the 1-based line number in the source file
        (the header is line 1), as a user sees it in Excel.
    **values
        The placeholders of the message and the hint (a :class:`Text` renders in the message's
        language).
    """

    exit_code = EXIT_UNUSABLE

    def __init__(
        self,
        key: str,
        /,
        *,
        hint: str | None = None,
        file: Any = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        **values: Any,
    ) -> None:
        self.key = key
        self.values = values
        self.hint = _hint_key(key) if hint is None else hint
        self.where = _Where(file=None if file is None else str(file), sheet=sheet, row=row, column=column)
        super().__init__(key)

    @classmethod
    def from_key(cls, key: str, /, **kwargs: Any) -> KitError:
        """The error of catalogue ``key`` (see the class parameters)."""
        return cls(key, **kwargs)

    def at(self, **where: Any) -> KitError:
        """A copy of this error with its place (``file``, ``sheet``, ``row``, ``column``) updated."""
        import copy

        err = copy.copy(self)
        err.where = _Where(**{**self.where.__dict__, **where})
        return err

    # ---- texts ------------------------------------------------------------------------------
    def what(self, lang: str | None = None) -> str:
        """The message alone, without the place and the hint."""
        lang = lang or message_language()
        return text(self.key, lang, **self._placeholders(lang))

    def _placeholders(self, lang: str) -> dict[str, Any]:
        return _rendered({**self.where.__dict__, **self.values}, lang)

    def hint_text(self, lang: str | None = None) -> str:
        """What to do, or ``""``."""
        if not self.hint or not has_text(self.hint):
            return ""
        lang = lang or message_language()
        return text(self.hint, lang, **self._placeholders(lang))

    def where_text(self, lang: str | None = None) -> str:
        """``file: x.csv, row: 3`` in ``lang``."""
        lang = lang or message_language()
        parts = []
        for name, (zh, en) in _WHERE_LABELS.items():
            value = getattr(self.where, name)
            if value is not None:
                parts.append(f"{zh}：{value}" if lang == "zh" else f"{en}: {value}")
        return ("，" if lang == "zh" else ", ").join(parts)

    def message(self, lang: str | None = None) -> str:
        """The full message in ``lang`` (default: the context's message language): what, where, what to do."""
        lang = lang or message_language()
        zh = lang == "zh"
        text = self.what(lang)
        where = self.where_text(lang)
        if where:
            text += (" —— " if zh else " — ") + where
        hint = self.hint_text(lang)
        if hint:
            text += ("。处理办法：" if zh else ". What to do: ") + hint
        return text

    def __str__(self) -> str:
        return self.message("en")

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (type(self), dict(self.__dict__)))

    def _render_traceback_(self) -> list[str]:
        """What IPython shows in a notebook instead of a traceback: the message alone.

        The cell still ends in error, so papermill and ``kit run`` record the failure.
        """
        lang = message_language()
        label = "出错了" if lang == "zh" else "Problem"
        return [f"{label} [{type(self).__name__}]: {self.message(lang)}"]


def _restore(cls: type[KitError], state: dict[str, Any]) -> KitError:
    err = cls.__new__(cls)
    Exception.__init__(err, state.get("key", ""))
    err.__dict__.update(state)
    return err


class DataError(KitError):
    """An input file cannot be used as it is (missing, empty, wrong columns, bad encoding)."""


class ParameterError(KitError):
    """A notebook or command-line parameter is missing, misspelled or of the wrong type."""


class WorkspaceError(KitError):
    """A workspace file (customer types, standards, goals) is invalid or cannot be saved."""


class RunError(KitError):
    """A batch run could not be set up (no stores selected, notebook not found, ...)."""

    exit_code = EXIT_PARTIAL
