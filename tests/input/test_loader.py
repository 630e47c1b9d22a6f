"""Reading the file: positions, YAML 1.1 surprises refused, unreadable files explained."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reportgen.errors import InputError
from reportgen.input.loader import load


def test_positions_of_keys_and_values(write_yaml):
    path = write_yaml(
        """\
        部门名称: 测试局
        基本情况:
          部门整体收支情况:
            执行数: 95.5
        列表:
          - 甲
          - 乙
        """
    )
    loaded = load(path)
    assert loaded.key_positions[("基本情况", "部门整体收支情况", "执行数")] == (4, 5)
    assert loaded.positions[("基本情况", "部门整体收支情况", "执行数")] == (4, 10)
    assert loaded.positions[("列表", 1)] == (7, 5)
    # an unknown deeper path falls back to its nearest ancestor
    assert loaded.position(("基本情况", "部门整体收支情况", "执行数", "x")) == (4, 10)


def test_numbers_keep_their_typed_digits(write_yaml):
    loaded = load(write_yaml("a: 3634.3\nb: 0.00\nc: 0\nd: 150490.53\n"))
    assert loaded.data == {"a": Decimal("3634.3"), "b": Decimal("0.00"), "c": 0, "d": Decimal("150490.53")}
    assert str(loaded.data["b"]) == "0.00"
    assert not loaded.problems


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a: yes\n", "布尔值"),
        ("a: off\n", "布尔值"),
        ("a: 2023-01-05\n", "日期"),
        ("a: 010\n", "八进制"),
        ("a: 1:20\n", "十进制"),
        ("a: 1_000\n", "十进制"),
        ("a: 0x1F\n", "十进制"),
    ],
)
def test_yaml_11_surprises_are_errors_with_position(write_yaml, text, fragment):
    loaded = load(write_yaml("b: 1\n" + text))
    assert len(loaded.problems) == 1
    problem = loaded.problems[0]
    assert fragment in problem.message
    assert (problem.line, problem.column) == (2, 4)
    assert problem.path == ("a",)


def test_quoted_values_are_kept_as_text(write_yaml):
    loaded = load(write_yaml('a: "yes"\nb: "2023-01-05"\nc: "010"\nd: true\n'))
    assert loaded.data == {"a": "yes", "b": "2023-01-05", "c": "010", "d": True}
    assert not loaded.problems


def test_duplicate_keys_are_reported(write_yaml):
    loaded = load(write_yaml("a: 1\nb: 2\na: 3\n"))
    assert [(p.line, p.column) for p in loaded.problems] == [(3, 1)]
    assert "重复" in loaded.problems[0].message and "第 1 行" in loaded.problems[0].message


def test_anchors_and_aliases_are_refused(write_yaml):
    with pytest.raises(InputError) as err:
        load(write_yaml("a: &x [1, 2]\nb: *x\n"))
    assert ":1:4:" in err.value.message and "锚点" in err.value.message


def test_alias_bomb_is_refused_quickly(write_yaml):
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
        for i in range(8)
    )
    with pytest.raises(InputError):
        load(write_yaml(bomb))


@pytest.mark.parametrize(
    ("content", "fragment", "where"),
    [
        ("a: 1\n\tb: 2\n", "Tab", ":2:"),
        ("a: |\n  文字\n\t目标2：完成\n", "制表符", ":3:"),  # the tab, not the colon of the text
        ("部门名称:\t测试局\n", "制表符", ":1:"),
        ("a: @x\n", "加引号", ":1:"),
        ("a: [1, 2\n", "", ":"),
        ("a: 'unclosed\n", "引号", ":"),
        ("部门名称: 测试: 局\n", "冒号", ":1:"),
    ],
)
def test_malformed_yaml_is_one_line_with_position(write_yaml, content, fragment, where):
    with pytest.raises(InputError) as err:
        load(write_yaml(content))
    message = err.value.message
    assert "\n" not in message and "错误" in message and where in message
    assert fragment in message
    assert err.value.exit_code == 2


def test_gbk_file_is_named_as_such(write_yaml):
    path = write_yaml("部门名称: 测试局\n", encoding="gbk")
    with pytest.raises(InputError) as err:
        load(path)
    assert "GBK" in err.value.message and "UTF-8" in err.value.message


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeff部门名称: 测试局\n".encode())
    assert load(path).data == {"部门名称": "测试局"}


@pytest.mark.parametrize("content", ["", "   \n", "# 只有注释\n", "---\n"])
def test_empty_file(write_yaml, content):
    with pytest.raises(InputError) as err:
        load(write_yaml(content))
    assert "文件为空" in err.value.message


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError) as err:
        load(tmp_path / "nope.yaml")
    assert "文件不存在" in err.value.message
    with pytest.raises(InputError) as err:
        load(tmp_path)
    assert "文件夹" in err.value.message


def test_top_level_must_be_a_mapping(write_yaml):
    with pytest.raises(InputError) as err:
        load(write_yaml("- a\n- b\n"))
    assert "最外层" in err.value.message


def test_binary_file(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\x00\x01\x02abc")
    with pytest.raises(InputError) as err:
        load(path)
    assert "文本" in err.value.message
