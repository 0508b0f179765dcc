from kit.errors import DataError, KitError, ParameterError


def test_message_names_what_where_and_what_to_do():
    err = DataError("缺少列", "a column is missing", file="a.csv", row=3, column="创建时间",
                    hint_zh="补上", hint_en="add it")
    assert err.message("en") == "a column is missing — file: a.csv, row: 3, column: 创建时间. What to do: add it"
    assert err.message("zh") == "缺少列 —— 文件：a.csv，行：3，列：创建时间。处理办法：补上"
    assert isinstance(err, KitError) and err.exit_code == 2


def test_without_location_or_hint():
    assert ParameterError("错", "wrong").message("en") == "wrong"
