"""Validation problems of pydantic models in the user's words, from the locale catalogue.

Workspace files, notebook parameters and the workshop forms are validated by pydantic models.
A problem pydantic finds is translated by its error type (``workspace.problem.<type>`` of the
catalogue), and a rule of the kit's own models is raised with :func:`invalid` under a catalogue
key, so a Chinese form or report never shows pydantic's English wording.

Examples
--------
>>> problem_text({"type": "float_parsing", "msg": "Input should be a valid number"}, "zh")
'应该是数字'
>>> problem_text({"type": "float_parsing", "msg": "Input should be a valid number"}, "en")
'must be a number'
>>> err = invalid("standards.invalid.lunch_pair")
>>> problem_text({"type": err.type, "ctx": err.context}, "zh")
'午休开始和结束要么都填，要么都不填'
"""

from __future__ import annotations

from typing import Any

from pydantic_core import PydanticCustomError

from kit.core.errors import Text

__all__ = ["invalid", "problem", "problem_text"]


def invalid(key: str, **values: Any) -> PydanticCustomError:
    """The error a model validator raises for the rule ``key`` of the catalogue (values fill it).

    pydantic reports it with the error type ``key``; :func:`problem` renders it in either language.
    """
    from kit.core.i18n import t

    context = {k: v if isinstance(v, (str, int, float)) else str(v) for k, v in values.items()}
    return PydanticCustomError(key, t(key, "en", **context).replace("{", "{{").replace("}", "}}"), context)


def problem(error: dict[str, Any]) -> Text:
    """One pydantic error (an item of ``ValidationError.errors()``) as a :class:`Text`."""
    from kit.core.i18n import has_text

    kind = str(error.get("type", ""))
    values = {k: v for k, v in (error.get("ctx") or {}).items() if isinstance(v, (str, int, float))}
    if "." in kind and has_text(kind):
        return Text(kind, values)
    key = f"workspace.problem.{kind}"
    if not has_text(key):
        return Text("workspace.problem.other", {})
    try:
        Text(key, values).render("en")
    except (KeyError, IndexError):
        return Text("workspace.problem.other", {})
    return Text(key, values)


def problem_text(error: dict[str, Any], lang: str) -> str:
    """:func:`problem` rendered in ``lang``."""
    return problem(error).render(lang)
