"""A template's settings.yaml: what it may say, in its own words, and the range of every number.

A bureau's settings are data sent with its template; they are read with the same YAML reader as a
department's file (positions kept, aliases refused) and checked here before anything uses them,
so a wrong value is a message naming the file and line, never a failure deep in a build.
"""

from __future__ import annotations

import difflib
import typing
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from reportgen.input.diagnostics import InvalidSettings, TemplateError
from reportgen.input.errors import translate
from reportgen.input.loader import load

MAX_SETTINGS_BYTES = 200_000


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=2_000, defer_build=True)


Places = Annotated[int, Field(ge=0, le=4)]
Points = Annotated[Decimal, Field(ge=0, le=1000)]


class FormatSettings(_Settings):
    金额小数位: Places | Literal["原样"] | None = None
    千位分隔符: bool | None = None
    比率小数位: Places | None = None
    得分小数位: Annotated[int, Field(ge=0, le=2)] | None = None


class ListedIndicator(_Settings):
    三级指标: str
    分值: Points


class ScoreSettings(_Settings):
    名称: str | None = None
    项目名称: str | None = None
    预算执行率: Points | None = None
    类别: dict[str, Points] | None = Field(None, max_length=20)
    定性: dict[Literal["达成", "部分达成", "未达成"], tuple[Points, Points]] | None = None
    等级: list[tuple[Points, str]] | None = Field(None, min_length=1, max_length=10)
    小数位: Places | None = None
    指标: list[ListedIndicator] | None = Field(None, max_length=500)
    总分: Points | None = None

    @model_validator(mode="after")
    def _bands_in_order(self) -> ScoreSettings:
        for name, (low, high) in (self.定性 or {}).items():
            if low > high or high > 100:
                raise PydanticCustomError(
                    "band", "定性「{name}」的得分比例应为 [下限, 上限]，0 ≤ 下限 ≤ 上限 ≤ 100", {"name": name}
                )
        return self


class FontSettings(_Settings):
    官方: list[str] | None = Field(None, min_length=1, max_length=10)
    替代: list[str] | None = Field(None, min_length=1, max_length=10)
    替代加粗: bool | None = None
    文件: list[str] | None = Field(None, max_length=10)


FORM_COLUMNS = (
    "一级指标", "二级指标", "三级指标", "指标性质", "核心指标", "年初指标值", "调整指标值",
    "年度指标值", "实际完成值", "完成率", "分值", "得分系数", "得分", "偏差原因",
)  # fmt: skip
FORM_LABELS = (
    "部门名称", "评价年度", "自评得分", "自评等级", "年度预算执行情况", "年度资金总额",
    "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款", "其他资金",
    "年度总体目标", "预期目标", "实际完成情况", "总分",
)  # fmt: skip
BUDGET_COLUMNS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
BUDGET_ROWS = ("年度资金总额", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款", "其他资金")
FORM_NEEDS = (
    "年度目标",
    "绩效指标",
    "主要任务",
    "存在的主要问题",
    "下一步改进措施",
    "部门整体收支情况",
    "年初预算数",
    "全年预算数",
)


class FormColumn(_Settings):
    """One column of the 自评表: which figure, under what heading, how wide (relative)."""

    列: str
    标题: str | None = Field(None, min_length=1, max_length=40)
    宽: Annotated[Decimal, Field(gt=0, le=20)] | None = None


def _column(known: tuple[str, ...]) -> Any:
    """A column written as its name, or as {列: name, 标题: …, 宽: …}: one message when it is neither."""

    def checked(value: Any) -> Any:
        name = value.get("列") if isinstance(value, dict) else value
        if not isinstance(name, str):
            raise PydanticCustomError(
                "form_column", "缺少「列」：写列名，或在「列」下写列名、在「标题」下写印出的列标题"
            )
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
            hint = f"是否想写「{close[0]}」？" if close else ""
            raise PydanticCustomError(
                "form_column",
                "没有「{name}」这一列；{hint}可用：{known}",
                {"name": name, "hint": hint, "known": "、".join(known)},
            )
        if isinstance(value, dict):
            return FormColumn.model_validate(value).model_dump(exclude_none=True)
        return value

    return Annotated[Any, BeforeValidator(checked)]


class FormSettings(_Settings):
    """自评表: the national form's rows and columns as data."""

    指标列: list[_column(FORM_COLUMNS)] | None = Field(None, min_length=3, max_length=14)  # type: ignore[valid-type]
    预算列: list[_column(BUDGET_COLUMNS)] | None = Field(None, min_length=1, max_length=6)  # type: ignore[valid-type]
    预算行: list[Literal[BUDGET_ROWS]] | None = Field(None, min_length=1, max_length=5)  # type: ignore[valid-type]
    行标题: dict[Literal[FORM_LABELS], Annotated[str, Field(min_length=1, max_length=40)]] | None = None  # type: ignore[valid-type]
    得分在前: bool | None = None
    纸张方向: Literal["纵向", "横向", "自动"] | None = None
    必填: list[Literal[FORM_NEEDS]] | None = Field(None, max_length=8)  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _no_repeats(self) -> FormSettings:
        for group in ("指标列", "预算列"):
            names = [c if isinstance(c, str) else c["列"] for c in getattr(self, group) or []]
            if len(set(names)) != len(names):
                raise PydanticCustomError("form_column", "「{group}」中有重复的列", {"group": group})
        return self


def _between(low: float, high: float) -> Any:
    return Annotated[Decimal, Field(ge=low, le=high)]


class LayoutSettings(_Settings):
    """版式: the standard's numbers, each within a range a page can be set in."""

    上白边: _between(10, 80) | None = None  # type: ignore[valid-type]
    左白边: _between(10, 80) | None = None  # type: ignore[valid-type]
    版心宽: _between(80, 200) | None = None  # type: ignore[valid-type]
    版心高: _between(100, 280) | None = None  # type: ignore[valid-type]
    每页行数: Annotated[int, Field(ge=5, le=60)] | None = None
    每行字数: Annotated[int, Field(ge=5, le=60)] | None = None
    行距: _between(8, 60) | None = None  # type: ignore[valid-type]
    正文字号: _between(6, 36) | None = None  # type: ignore[valid-type]
    标题字号: _between(6, 48) | None = None  # type: ignore[valid-type]
    层次标题字号: _between(6, 36) | None = None  # type: ignore[valid-type]
    附件标识字号: _between(6, 36) | None = None  # type: ignore[valid-type]
    页码字号: _between(6, 36) | None = None  # type: ignore[valid-type]
    页码距版心: _between(0, 30) | None = None  # type: ignore[valid-type]
    表格字号: _between(6, 36) | None = None  # type: ignore[valid-type]
    表格行距: _between(6, 60) | None = None  # type: ignore[valid-type]
    自评表字号: _between(6, 36) | None = None  # type: ignore[valid-type]
    自评表行距: _between(6, 60) | None = None  # type: ignore[valid-type]
    字体: dict[str, FontSettings] | None = None


def _plain_name(value: Any) -> Any:
    if isinstance(value, str) and ("/" in value or "\\" in value or value.startswith(".")):
        raise PydanticCustomError("parent", "「继承」写内置模板的名称（如 base、荔湾），不能写路径")
    return value


class Settings(_Settings):
    """One settings.yaml; a district states only what differs from the template it inherits."""

    名称: str | None = Field(None, max_length=50)
    别名: list[str] | None = Field(None, max_length=20)
    说明: str | None = None
    继承: Annotated[str, Field(max_length=50)] | None = None
    格式: FormatSettings | None = None
    附件标签: str | None = Field(None, max_length=20)
    列表编号: str | None = Field(None, max_length=20)
    文书名称: str | None = Field(None, max_length=50)
    自评表名称: str | None = Field(None, max_length=50)
    自称: str | None = Field(None, max_length=20)
    句子位置: Literal["在前", "在后", "不印"] | None = None
    资金来源全部印出: bool | None = None
    人员情况形式: Literal["句子", "表格", "句子和表格"] | None = None
    前言: bool | None = None
    大纲: dict[str, list[str]] | None = Field(None, max_length=12)
    标题改写: dict[str, str] | None = None
    文书: list[Literal["报告", "自评表"]] | None = Field(None, min_length=1)
    嵌入源文件: bool | None = None
    合订: bool | None = None
    评分: ScoreSettings | None = None
    版式: LayoutSettings | None = None
    调整率小数位: Places | None = None
    自评表注: list[str] | None = Field(None, max_length=20)
    自评表列宽: str | None = Field(None, pattern=r"^\s*\d+(\.\d+)?(\s+\d+(\.\d+)?){5}\s*$")
    自评表: FormSettings | None = None
    自定义: dict[str, Any] | None = Field(None, description="区模板自己的文字，模板中用 s.自定义.键名 引用")

    @model_validator(mode="before")
    @classmethod
    def _parent_is_a_name(cls, value: Any) -> Any:
        if isinstance(value, dict) and "继承" in value:
            _plain_name(value["继承"])
        return value


def _plain(data: Any) -> Any:
    """Numbers as the templates and layout expect them: whole numbers as int, others as float."""
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    if isinstance(data, Decimal):
        return int(data) if data == data.to_integral_value() and data.as_tuple().exponent >= 0 else float(data)
    return data


def read(path: Path) -> dict[str, Any]:
    """A settings.yaml, checked; {} when the folder has none."""
    if not path.is_file():
        return {}
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise TemplateError(f"{path}: 错误: 无法读取模板设置（{exc.strerror}）") from exc
    if size > MAX_SETTINGS_BYTES:
        raise TemplateError(f"{path}: 错误: 模板设置文件过大（{size} 字节，上限 {MAX_SETTINGS_BYTES}）")
    try:
        loaded = load(path)
    except TemplateError:
        raise
    except Exception as exc:  # InputError: unreadable, bad YAML — reported as the template's fault
        message = getattr(exc, "message", str(exc))
        raise TemplateError(message.replace("错误:", "错误: 模板设置：", 1)) from exc
    problems = list(loaded.problems)
    try:
        Settings.model_validate(loaded.data)
    except ValidationError as exc:
        problems += [translate(error, loaded, Settings) for error in exc.errors()]
    if problems:
        raise InvalidSettings(list(dict.fromkeys(problems)))
    return typing.cast(dict[str, Any], _plain(_without_nulls(loaded.data)))


# Settings whose null says something ("no label", "no sheet name"); any other null means "as the
# parent template has it", and is dropped before the settings are merged.
NULL_MEANS_NONE = {("附件标签",), ("评分", "名称"), ("评分", "项目名称")}


def _without_nulls(data: Any, path: tuple[str, ...] = ()) -> Any:
    if isinstance(data, dict):
        return {
            k: _without_nulls(v, (*path, k)) for k, v in data.items() if v is not None or (*path, k) in NULL_MEANS_NONE
        }
    return data
