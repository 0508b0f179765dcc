import pytest

from kit.core.errors import ParameterError
from kit.core.paths import folder_names, inside, is_safe_name, safe_name

HOSTILE = ["../escape", "/etc/x", "a/b", "a\\b", "..", ".", "", " 001", "001 ", "x\x00y", "C:", "CON", "nul.txt"]
HOSTILE += ["chain", "playbook", "index.html", "manifest.json", "<script>alert(1)</script>", "\u202eevil", "x" * 300]


@pytest.mark.parametrize("name", ["001", "SH-01", "上海01", "store_7", "a.b", "Ünïcode"])
def test_plain_ids_keep_their_name(name):
    assert is_safe_name(name) and safe_name(name) == name


@pytest.mark.parametrize("name", HOSTILE)
def test_any_other_id_becomes_a_slug_with_a_hash_that_stays_in_its_folder(name, tmp_path):
    folder = safe_name(name)
    assert folder != name and is_safe_name(folder)
    assert "/" not in folder and "\\" not in folder and not folder.startswith(".") and len(folder) <= 64
    assert all(ch.isprintable() for ch in folder)
    assert (tmp_path / folder / "r.ipynb").resolve().parent.parent == tmp_path.resolve()
    assert safe_name(name) == folder  # the same id, the same folder in every run (for --resume)


def test_different_ids_never_share_a_folder():
    ids = [*HOSTILE, "a-b", "a_b", "escape", "SH-01", "sh-01", "Sh-01", "001"]
    names = folder_names(ids)
    assert len({n.casefold() for n in names.values()}) == len(set(ids))
    assert names["001"] == "001" and names["a-b"] == "a-b"
    assert len({names["SH-01"], names["sh-01"], names["Sh-01"]}) == 3


def test_inside_refuses_paths_and_links_that_leave_the_folder(tmp_path):
    root, outside = tmp_path / "run", tmp_path / "elsewhere"
    root.mkdir()
    outside.mkdir()
    assert inside(root, "001/a.ipynb") == (root / "001" / "a.ipynb").resolve()
    for path in (root / ".." / "x", "/etc/passwd", root / "001" / ".." / ".." / "x"):
        with pytest.raises(ParameterError) as info:
            inside(root, path)
        assert info.value.exit_code == 2 and "outside the run folder" in info.value.message("en")
    (root / "001").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ParameterError):
        inside(root, root / "001" / "a.ipynb")
