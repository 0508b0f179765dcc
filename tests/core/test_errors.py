import pickle

import pytest

import kit.core.errors as errors
from kit.core.errors import DataError, KitError, ParameterError, Text, message_language, set_message_language

ERROR_CLASSES = [obj for obj in vars(errors).values() if isinstance(obj, type) and issubclass(obj, KitError)]


def test_message_names_what_where_and_what_to_do():
    err = DataError.from_key(
        "io.error.missing_column", file="a.csv", row=3, column="created_at", header="创建时间", also=""
    )
    assert err.message("en") == (
        "a required column is missing: created_at (创建时间) — file: a.csv, row: 3, "
        'column: created_at. What to do: add a column headed "创建时间", or name the matching '
        "header in a mapping file (--mapping)"
    )
    assert err.message("zh").startswith(
        "缺少必需的列 created_at（创建时间） —— 文件：a.csv，行：3，列：created_at。处理办法："
    )
    assert isinstance(err, KitError) and err.exit_code == 2


def test_without_location_or_hint():
    assert (
        ParameterError.from_key("batch.error.period_reversed", hint="").message("en")
        == "the period ends before it starts"
    )


def test_hint_follows_the_catalogue_conventions():
    # <group>.error.<key> -> <group>.hint.<key>
    assert DataError.from_key("calendar.error.never_open").hint == "calendar.hint.never_open"
    # io keeps its hints next to the message: <key>_hint
    assert DataError.from_key("io.error.empty_file").hint == "io.error.empty_file_hint"


def test_nested_texts_follow_the_message_language():
    err = DataError.from_key(
        "io.error.missing_column", column="x", header="X", also=Text("io.error.also_missing", {"names": "y"})
    )
    assert "另缺：y" in err.message("zh") and "also missing: y" in err.message("en")


def test_message_language_is_a_context_variable():
    import contextvars

    set_message_language("en")
    ctx = contextvars.copy_context()
    ctx.run(set_message_language, "zh")
    assert ctx.run(message_language) == "zh"
    assert message_language() == "en"  # the caller's context is untouched
    err = ParameterError.from_key("batch.error.period_reversed")
    assert ctx.run(err.message).startswith("统计期结束早于开始")


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda c: c.__name__)
def test_every_error_class_survives_pickling(cls):
    err = cls.from_key(
        "io.error.missing_column",
        file="a.csv",
        sheet="s",
        row=4,
        column="c",
        header="H",
        also=Text("io.error.also_missing", {"names": "d, e"}),
    )
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is cls and back.exit_code == err.exit_code
    for lang in ("zh", "en"):
        assert back.message(lang) == err.message(lang)
    assert str(back) == str(err)


def test_at_moves_an_error_without_losing_its_text():
    err = ParameterError.from_key("calendar.error.never_open", column="hours").at(row=7)
    assert err.where.row == 7 and err.where.column == "hours"
    assert "row: 7" in err.message("en")


def test_every_catalogue_key_used_by_the_kit_exists():
    """Every ``from_key("<literal>")`` in the package names a message of the catalogue."""
    import ast
    from pathlib import Path

    from kit.core.i18n import has_text

    root = Path(errors.__file__).resolve().parents[1]
    missing = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "from_key"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                key = node.args[0].value
                if not has_text(key):
                    missing.append(f"{path.relative_to(root)}:{node.lineno} {key}")
                for kw in node.keywords:
                    if (
                        kw.arg == "hint"
                        and isinstance(kw.value, ast.Constant)
                        and kw.value.value
                        and not has_text(kw.value.value)
                    ):
                        missing.append(f"{path.relative_to(root)}:{node.lineno} hint {kw.value.value}")
    assert not missing, missing
