"""``kit validate``: exit codes, printed summary, rejects file."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pandas as pd

from kit.intake.sample import write_chain
from kit.intake.validate import add_parser, validate_command

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "intake"


def run(*args, **kw) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = validate_command(*args, stream=out, err_stream=err, **kw)
    return code, out.getvalue(), err.getvalue()


def test_clean_file_exits_0(tmp_path):
    paths = write_chain(tmp_path, stores=2, months=1, seed=1)
    code, out, err = run(paths["complaints"], "complaints", stores=paths["stores"], out=tmp_path / "rej")
    assert code == 0 and err == ""
    assert "rows rejected  0" in out
    assert "complaint_id → complaint_id" in out
    assert out.strip().endswith("rows passed the checks")
    assert not (tmp_path / "rej").exists()


def test_rejected_rows_exit_1_with_counts_reasons_mapping_and_rejects_file(tmp_path):
    target = tmp_path / "out.csv"
    code, out, _ = run(FIX / "unknown_channel.csv", "complaints", stores=FIX / "stores.csv", out=target)
    assert code == 1
    assert "rows read      4" in out and "rows accepted  2" in out and "rows rejected  2" in out
    assert "unknown_code [channel, tier]: unknown value" in out
    assert "渠道 → channel" in out and "优先级 → tier" in out
    assert f"unknown_channel.csv: 2 of 4 rows rejected — see {target}" in out
    back = pd.read_csv(target, encoding="utf-8-sig", dtype=str)
    assert back["source_row"].tolist() == ["3", "4"]


def test_summary_in_chinese(tmp_path):
    code, out, _ = run(FIX / "duplicate_ids.csv", "complaints", lang="zh", out=tmp_path)
    assert code == 1
    assert "拒收行数" in out and "编号重复" in out
    assert "未提供门店文件" in out
    assert "共读取 4 行，其中 1 行被拒收" in out


def test_unusable_file_exits_2_with_one_message(tmp_path):
    code, out, err = run(FIX / "missing_column.csv", "complaints", out=tmp_path)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "did you mean 创建时间?" in err
    assert "Traceback" not in err


def test_empty_and_unknown_sheet_exit_2(tmp_path):
    assert run(FIX / "empty.csv", "complaints")[0] == 2
    code, _, err = run(FIX / "complaints_two_sheets.xlsx", "complaints", sheet="汇总")
    assert code == 2 and "说明, 投诉记录" in err


def test_mapping_file_and_sheet_options(tmp_path):
    code, out, _ = run(FIX / "custom_headers.csv", "complaints", mapping=FIX / "mapping.yaml", out=tmp_path)
    assert code == 0 and "工单号 → complaint_id" in out
    code, out, _ = run(FIX / "complaints_two_sheets.xlsx", "complaints", sheet="投诉记录", out=tmp_path)
    assert code == 1 and "sheet: 投诉记录" in out


def test_bad_language_is_unusable_input():
    assert run(FIX / "utf8_bom.csv", "complaints", lang="fr")[0] == 2


def test_add_parser_registers_the_subcommand(tmp_path):
    parser = argparse.ArgumentParser(prog="kit")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(
        [
            "validate",
            str(FIX / "surveys_zh.csv"),
            "--kind",
            "surveys",
            "--lang",
            "en",
            "--ces-scale",
            "5",
            "--out",
            str(tmp_path),
        ]
    )
    assert args.func(args) == 1
    assert (tmp_path / "surveys_zh.rejects.csv").is_file()


def test_kit_cli_validate(tmp_path, capsys):
    from kit.cli import main

    code = main(
        [
            "validate",
            str(FIX / "gb18030_rare_char.csv"),
            "--kind",
            "complaints",
            "--lang",
            "en",
            "--stores",
            str(FIX / "stores.csv"),
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0
    assert "encoding: gb18030" in capsys.readouterr().out
