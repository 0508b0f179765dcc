"""mapping.yaml: every shape mistake is one DataError naming the file, the entry and the shape expected."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from kit.core.errors import DataError
from kit.intake.mapping import Duration, LineItems, currency_symbol, read_mapping


def error_of(mapping, kind: str = "complaints") -> DataError:
    with pytest.raises(DataError) as info:
        read_mapping(mapping, kind)
    return info.value


def write(tmp_path, text: str):
    path = tmp_path / "mapping.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- bounded work


def test_billion_laughs_mapping_is_refused_under_a_memory_limit(tmp_path):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    lines += ["complaints:", "  values:", "    channel: *a8"]
    path = tmp_path / "mapping.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    script = textwrap.dedent(
        f"""
        import resource
        from kit.core.errors import DataError
        from kit.intake.mapping import read_mapping

        with open("/proc/self/statm") as fh:
            used = int(fh.read().split()[0]) * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (used + 300 * 2**20, resource.RLIM_INFINITY))
        try:
            read_mapping({str(path)!r}, "complaints")
        except DataError as err:
            print(err.message("en"))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("mapping.yaml is not a plain mapping: the alias *a0 on line 2")


def test_a_very_deep_mapping_file(tmp_path):
    path = write(tmp_path, "complaints:\n  values:\n    channel: " + "[" * 50 + "]" * 50 + "\n")
    assert "nests more than 20 levels deep on line 3" in error_of(path).message("en")


# --------------------------------------------------------------------------- wrong shapes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "complaints:\n  columns: [工单号, complaint_id]\n",
            "complaints.columns should be a mapping of headers to columns",
        ),
        (
            "complaints:\n  values: chat\n",
            "complaints.values should be a mapping of columns to {value in the file: code}",
        ),
        ("complaints:\n  - 工单号\n", "complaints should be a mapping with the keys columns:"),
        (
            "complaints:\n  values:\n    channel: [微信, chat]\n",
            "complaints.values.channel should be a mapping of values in the file to codes",
        ),
        ("- a\n- b\n", "the top level should be a mapping with a section per table"),
        (
            "complaints:\n  durations:\n    first_response_at: 首次响应分钟\n",
            "should be a mapping such as {column: header",
        ),
        (
            "complaints:\n  colums: {工单号: complaint_id}\n",
            "complaints has an unknown key colums (the keys are columns",
        ),
        ("complaint:\n  工单号: complaint_id\nstores: {}\n", "the top level has an unknown key complaint"),
        ("complaints:\n  columns:\n    ? [a, b]\n    : complaint_id\n", "keys must be text"),
    ],
)
def test_wrong_shapes_name_the_file_the_entry_and_the_shape(tmp_path, text, expected):
    err = error_of(write(tmp_path, text))
    assert expected in err.message("en")
    assert err.where.file.endswith("mapping.yaml")
    assert err.message("zh")  # and in Chinese


def test_non_text_keys_of_a_mapping_given_as_a_dict():
    err = error_of({"complaints": {"values": {"tier": {1: "urgent"}}}})
    assert "the key 1 under complaints.values.tier is not text" in err.message("en")
    assert "'001':" in err.message("en")


def test_every_value_is_read_as_text(tmp_path):
    path = write(tmp_path, "complaints:\n  values:\n    tier: {1: urgent, 02: normal, yes: inquiry}\n")
    assert read_mapping(path, "complaints").values == {"tier": {"1": "urgent", "02": "normal", "yes": "inquiry"}}


def test_every_section_is_checked_not_only_the_one_read(tmp_path):
    path = write(tmp_path, "complaints:\n  工单号: complaint_id\nsurveys:\n  columns: [x]\n")
    assert "surveys.columns should be" in error_of(path, "complaints").message("en")


# --------------------------------------------------------------------------- values, formats, constants


def test_a_value_mapped_to_an_unknown_code_names_the_known_codes():
    err = error_of({"complaints": {"values": {"channel": {"微信": "wechat"}}}})
    assert "wechat is not a code of channel (known codes: phone, email, chat, in_store, app, social)" in err.message(
        "en"
    )


def test_values_may_map_to_a_label_and_only_for_code_columns():
    m = read_mapping(
        {"complaints": {"values": {"channel": {"微信": "在线客服"}, "category": {"质量": "产品质量"}}}}, "complaints"
    )
    assert m.values == {"channel": {"微信": "chat"}, "category": {"质量": "product_quality"}}
    assert "values can be mapped only for channel, tier, category, approver_role" in error_of(
        {"complaints": {"values": {"store_id": {"a": "b"}}}}
    ).message("en")


def test_formats_must_be_date_formats_of_time_columns():
    assert read_mapping({"complaints": {"formats": {"created_at": "%m/%d/%Y %H:%M"}}}, "complaints").formats == {
        "created_at": "%m/%d/%Y %H:%M"
    }
    assert "%H:%M is not a date format with %Y, %m and %d" in error_of(
        {"complaints": {"formats": {"created_at": "%H:%M"}}}
    ).message("en")
    assert "channel is not a time column of complaints" in error_of(
        {"complaints": {"formats": {"channel": "%Y-%m-%d"}}}
    ).message("en")


def test_constants_are_checked_like_the_values_of_the_column():
    assert read_mapping({"complaints": {"constants": {"tier": "一般投诉"}}}, "complaints").constants == {
        "tier": "normal"
    }
    msg = error_of({"complaints": {"constants": {"tier": "normall"}}}).message("en")
    assert "the constant normall is not a valid tier: unknown value (allowed: urgent" in msg
    assert "不是 tier 的有效值" in error_of({"complaints": {"constants": {"tier": "normall"}}}).message("zh")


def test_durations_and_their_units():
    m = read_mapping(
        {"complaints": {"durations": {"first_response_at": {"column": "首次响应分钟", "unit": "分钟"}}}}, "complaints"
    )
    assert m.durations == {"first_response_at": Duration("首次响应分钟", "minutes", "created_at")}
    assert m.headers()["首次响应分钟"] == "first_response_at"
    assert "the unit weeks is not one of seconds, minutes, hours, days" in error_of(
        {"complaints": {"durations": {"first_response_at": {"column": "x", "unit": "weeks"}}}}
    ).message("en")
    assert "channel is not a time column" in error_of(
        {"complaints": {"durations": {"first_response_at": {"column": "x", "from": "channel"}}}}
    ).message("en")


def test_line_items_decimal_sheet_and_currency():
    m = read_mapping(
        {
            "currency": "eur",
            "transactions": {"line_items": {"receipt": "小票号", "amount": "金额"}, "decimal": ",", "sheet": "明细"},
        },
        "transactions",
    )
    assert (m.line_items, m.decimal, m.sheet, m.currency) == (LineItems("小票号", "金额"), ",", "明细", "EUR")
    assert m.headers() == {"小票号": "transaction_id", "金额": "amount"}
    assert "line_items is for transactions only" in error_of({"complaints": {"line_items": {"receipt": "x"}}}).message(
        "en"
    )
    assert 'must be "." or ",", not ;' in error_of({"complaints": {"decimal": ";"}}).message("en")
    assert "DOLLARS is not a currency code" in error_of({"currency": "dollars"}).message("en")
    assert currency_symbol("USD") == "$" and currency_symbol(m.currency) == "€" and currency_symbol("CNY") == "¥"


def test_the_first_versions_shapes_still_work():
    assert read_mapping({"工单号": "complaint_id"}, "complaints").columns == {"工单号": "complaint_id"}
    assert read_mapping({"complaints": {"complaint_id": "工单号"}}, "complaints").columns == {"工单号": "complaint_id"}
    assert read_mapping(None, "complaints").currency == "CNY"
