"""Workspace YAML files: bounded work on hostile files, one WorkspaceError per wrong shape."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from pydantic import BaseModel

from kit.core.errors import DataError, WorkspaceError
from kit.core.store import YAML_MAX_BYTES, YAML_MAX_DEPTH, load_yaml_model, parse_plain_yaml


class Model(BaseModel):
    name: str = ""
    items: list = []
    nested: dict = {}


def laughs(levels: int = 9, key: str = "items") -> str:
    """The "billion laughs" document: 9 aliases of 9 aliases ... expand into 9**levels strings."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    lines.append(f"{key}: *a{levels - 1}")
    return "\n".join(lines) + "\n"


def workspace_error(path, model=Model) -> WorkspaceError:
    with pytest.raises(WorkspaceError) as info:
        load_yaml_model(path, model)
    return info.value


def test_billion_laughs_is_refused_under_a_memory_limit(tmp_path):
    path = tmp_path / "standards.yaml"
    path.write_text(laughs(), encoding="utf-8")
    script = textwrap.dedent(
        f"""
        import resource
        from pydantic import BaseModel
        from kit.core.errors import WorkspaceError
        from kit.core.store import load_yaml_model

        class Model(BaseModel):
            items: list = []
            model_config = {{"extra": "allow"}}

        with open("/proc/self/statm") as fh:
            used = int(fh.read().split()[0]) * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (used + 200 * 2**20, resource.RLIM_INFINITY))
        try:
            load_yaml_model({str(path)!r}, Model)
        except WorkspaceError as err:
            print(err.message("en"))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("standards.yaml is not a plain mapping: the alias *a0 on line 2")
    assert "row: 2" in done.stdout


def test_alias_of_a_scalar_is_fine_but_merge_of_a_mapping_is_not(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text("name: &n shop\nitems: [*n, *n]\n", encoding="utf-8")
    assert load_yaml_model(path, Model).items == ["shop", "shop"]
    path.write_text("base: &b {a: 1}\nnested:\n  <<: *b\n", encoding="utf-8")
    assert "alias *b on line 3" in workspace_error(path).message("en")


def test_nesting_too_deep(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text("nested: " + "[" * (YAML_MAX_DEPTH + 5) + "]" * (YAML_MAX_DEPTH + 5) + "\n", encoding="utf-8")
    err = workspace_error(path)
    assert f"nests more than {YAML_MAX_DEPTH} levels deep on line 1" in err.message("en")
    assert err.where.file == str(path)
    # a very deep file is refused as quickly, without a RecursionError
    path.write_text("nested: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    assert "levels deep" in workspace_error(path).message("en")


def test_keys_must_be_text(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text("name: a\nnested:\n  1: x\n", encoding="utf-8")
    err = workspace_error(path)
    assert "the key 1 on line 3 is not text" in err.message("en") and err.where.row == 3
    assert "第 3 行的键 1 不是文字" in err.message("zh")
    path.write_text("nested:\n  ? [a, b]\n  : x\n", encoding="utf-8")
    assert "is a list or mapping; keys must be text" in workspace_error(path).message("en")


def test_file_too_large_is_refused_before_parsing(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_bytes(b"name: " + b"x" * (YAML_MAX_BYTES + 10) + b"\n")
    assert f"the kit reads at most {YAML_MAX_BYTES:,}" in workspace_error(path).message("en")


def test_wrong_shapes_give_one_workspace_error(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    assert "top level must be a mapping" in workspace_error(path).message("en")
    path.write_text("items: not-a-list\n", encoding="utf-8")
    err = workspace_error(path)
    assert err.where.column == "items" and err.where.row == 1
    path.write_bytes(b"name: a\x00b\n")
    assert "YAML" in workspace_error(path).message("en")


def test_text_only_reading_and_the_error_class():
    assert parse_plain_yaml("id: 001\nok: yes\nn: ~\n", text_only=True)[0] == {"id": "001", "ok": "yes", "n": "~"}
    assert parse_plain_yaml("id: 001\nok: yes\n")[0] == {"id": 1, "ok": True}
    with pytest.raises(DataError) as info:
        parse_plain_yaml(laughs(), file="data/mapping.yaml", error=DataError, text_only=True)
    assert info.value.message("en").startswith("mapping.yaml is not a plain mapping")
    assert parse_plain_yaml("") == (None, None)
