"""A template's settings.yaml: what it may say, in its own words, the range of every number, and
the value each setting has when no template in the chain states it.

A bureau's settings are data sent with its template; each file is read with the same YAML reader
as a department's file (positions kept, aliases refused) and checked here before anything uses
it, so a wrong value is a message naming the file and line, never a failure deep in a build.
The files of a chain are merged (a district states only what differs from its parent) and the
result validated once more into one frozen `Settings`: every later stage reads typed values from
it, and the defaults below are the only ones.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from reportgen.errors import InvalidSettings, TemplateError
from reportgen.figures.numbers import AS_TYPED, NumberFormat
from reportgen.figures.scoring import Band as ScoringBand
from reportgen.figures.scoring import Rule, ScoreSheet, parse_band
from reportgen.input.errors import translate
from reportgen.input.loader import load
from reportgen.input.model import StaffWord
from reportgen.template.form_columns import (
    BUDGET_COLUMNS,
    BUDGET_ROWS,
    FORM_NEEDS,
    INDICATOR_COLUMNS,
    BudgetRowName,
    FormLabel,
    FormNeed,
    GoalColumn,
    HeaderField,
    points,
)

MAX_SETTINGS_BYTES = 200_000


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=2_000, defer_build=True, frozen=True)


Places = Annotated[int, Field(ge=0, le=4)]
Points = Annotated[Decimal, Field(ge=0, le=1000)]


class FormatSettings(_Settings):
    金额小数位: Places | Literal["原样"] = AS_TYPED
    千位分隔符: bool = False
    比率小数位: Places = 2
    得分小数位: Annotated[int, Field(ge=0, le=2)] = 2

    def number_format(self, own: Mapping[str, Any] | None = None) -> NumberFormat:
        """The format a report prints with: the template's, with what the report's own 格式 states."""
        stated = {k: v for k, v in (own or {}).items() if v is not None}
        chosen = self.model_copy(update=stated) if stated else self
        return NumberFormat(
            money_places=chosen.金额小数位,
            thousands=chosen.千位分隔符,
            rate_places=chosen.比率小数位,
            score_places=chosen.得分小数位,
        )


class ListedIndicator(_Settings):
    三级指标: str
    分值: Points


Verdict = Literal["达成", "部分达成", "未达成"]
# A qualitative indicator's share of its points by the evaluator's verdict; a sheet that states
# some bands keeps these for the others.
DEFAULT_BANDS: dict[Verdict, tuple[Decimal, Decimal]] = {
    "达成": (Decimal(80), Decimal(100)),
    "部分达成": (Decimal(60), Decimal(80)),
    "未达成": (Decimal(0), Decimal(60)),
}


def _band(value: Any) -> ScoringBand:
    """One band of a rule, written [条件, 得分]: [完成率 ≥ 60, 按比例], [实际值 > 30, 0], [其他, 满分]."""
    if isinstance(value, ScoringBand):
        return value
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise PydanticCustomError("score_band", "每一档写成 [条件, 得分]，如 [完成率 ≥ 60, 按比例] 或 [其他, 0]")
    try:
        return parse_band(str(value[0]), str(value[1]))
    except ValueError as exc:
        raise PydanticCustomError("score_band", "{message}", {"message": str(exc)}) from exc


ScoreBand = Annotated[ScoringBand, PlainValidator(_band), PlainSerializer(lambda band: band.describe())]
# Indicators that usually want a ≤ target: a target written without a comparison sign on one of
# these is warned about (scored as higher-is-better, it would be scored the wrong way round).
LOWER_IS_BETTER = (
    "调整率", "结转结余率", "结余率", "变动率", "投诉", "发案", "事故", "差错", "出错", "超支", "发生率",
    "闲置率", "返工", "失误", "违规", "违纪", "逾期", "超期", "滞留", "积压", "不合格", "超标", "伤亡", "死亡",
    "损失",
)  # fmt: skip


class ScoreRule(_Settings):
    """A rule of the sheet: the indicators it names (by 指标, a part of their 三级指标; or by
    类别) are scored by its bands, first that holds, instead of in proportion to completion."""

    指标: str | None = Field(None, min_length=1, max_length=50)
    类别: str | None = Field(None, min_length=1, max_length=50)
    方向: Literal["越大越好", "越小越好", "等于"] | None = None
    档: list[ScoreBand] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def _names_its_indicators(self) -> ScoreRule:
        if (self.指标 is None) == (self.类别 is None):
            raise PydanticCustomError("score_rule", "每条计分规则写「指标」（指标名称中的字）或「类别」中的一个")
        return self


class ScoreSettings(_Settings):
    """评分: the score sheet.  Defaults follow 财预〔2020〕10号 as districts apply it to the whole
    department (预算执行率 10, 产出 50, 效益 30, 满意度 10; grades 优 ≥ 90, 良 ≥ 80, 中 ≥ 60)."""

    名称: str | None = None  # a district names its sheet; the base cites none
    项目名称: str | None = None  # the sheet a key project is scored by, when the district names one
    预算执行率: Points = Decimal(10)
    类别: dict[str, Points] = Field(
        default_factory=lambda: {"产出指标": Decimal(50), "效益指标": Decimal(30), "满意度指标": Decimal(10)},
        max_length=20,
    )
    定性: dict[Verdict, tuple[Points, Points]] = Field(default_factory=lambda: dict(DEFAULT_BANDS))
    等级: list[tuple[Points, str]] = Field(
        default_factory=lambda: [(Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"), (Decimal(0), "差")],
        min_length=1,
        max_length=10,
    )
    小数位: Places = 2
    指标: list[ListedIndicator] = Field(default_factory=list, max_length=500)
    总分: Points | None = None
    计分规则: list[ScoreRule] = Field(default_factory=list, max_length=100)
    预算执行率计分: list[ScoreBand] = Field(default_factory=list, max_length=20)
    越小越好: list[str] = Field(default_factory=lambda: list(LOWER_IS_BETTER), max_length=100)
    类别封顶: bool = False
    # a figure the unit stated for want of its inputs is marked where a form or score table prints
    # it, and a note under the table says what the mark means
    手填标记: str = Field("*", min_length=1, max_length=4, pattern=r"^\S+$")
    手填注: str | None = Field(None, min_length=1, max_length=200)

    @model_validator(mode="after")
    def _bands_in_order(self) -> ScoreSettings:
        for name, (low, high) in self.定性.items():
            if low > high or high > 100:
                raise PydanticCustomError(
                    "band", "定性「{name}」的得分比例应为 [下限, 上限]，0 ≤ 下限 ≤ 上限 ≤ 100", {"name": name}
                )
        return self

    def bands(self) -> dict[str, tuple[Decimal, Decimal]]:
        """The qualitative bands: the sheet's own, the defaults for the others."""
        bands: dict[str, tuple[Decimal, Decimal]] = {}
        for chosen in (DEFAULT_BANDS, self.定性):
            for name, band in chosen.items():
                bands[name] = band
        return bands

    def weights(self) -> str:
        """The sheet's points in a line: 预算执行率 10 分、产出指标 50 分……"""
        parts = [("预算执行率", self.预算执行率), *self.类别.items()]
        return "、".join(f"{name} {points(value)} 分" for name, value in parts)

    def sheet(self, template: str | None = None) -> ScoreSheet:
        """The score sheet; named, for the terminal, by the template that sets it when the sheet
        has no name of its own."""
        categories = dict(self.类别)
        own = self != ScoreSettings() and template is not None
        described = f"「{template}」模板的评分表（{self.weights()}）" if own else ""
        return ScoreSheet(
            name=self.名称 or None,
            budget_points=self.预算执行率,
            categories=categories,
            bands=self.bands(),
            grades=sorted(self.等级, reverse=True),
            places=self.小数位,
            indicators={i.三级指标: i.分值 for i in self.指标},
            project_name=self.项目名称 or None,
            full=self.总分 if self.总分 is not None else self.预算执行率 + sum(categories.values(), Decimal(0)),
            rules=tuple(Rule(r.指标, r.类别, r.方向, tuple(r.档)) for r in self.计分规则),
            budget_bands=tuple(self.预算执行率计分),
            lower_is_better=tuple(self.越小越好),
            capped=self.类别封顶,
            described=described,
            stated_mark=self.手填标记,
            stated_note=self.手填注 or f"注：带“{self.手填标记}”的得分、执行率为单位填写，未经计算。",
        )


class FontSettings(_Settings):
    官方: list[str] | None = Field(None, min_length=1, max_length=10)
    替代: list[str] | None = Field(None, min_length=1, max_length=10)
    替代加粗: bool | None = None
    文件: list[str] = Field(default_factory=list, max_length=10)


class FormColumn(_Settings):
    """One column of the 自评表 as a template chooses it: which one, under what heading, how wide."""

    列: str
    标题: str | None = Field(None, min_length=1, max_length=40)
    宽: Annotated[Decimal, Field(gt=0, le=20)] | None = None
    名: str | None = Field(None, min_length=1, max_length=40)  # 其他列: the name indicators write it under

    @model_validator(mode="after")
    def _other_has_a_name(self) -> FormColumn:
        if self.列 == "其他列" and self.名 is None:
            raise PydanticCustomError(
                "form_column", "「其他列」要写「名」：指标的「其他列」中用的列名，如「列: 其他列」下写「名: 数据来源」"
            )
        return self


def _column(known: tuple[str, ...]) -> Callable[[Any], FormColumn]:
    """A column written as its name, or as {列: name, 标题: …, 宽: …}: one message when it is neither."""

    def checked(value: Any) -> FormColumn:
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
        return FormColumn.model_validate(value) if isinstance(value, dict) else FormColumn(列=name)

    return checked


IndicatorColumn = Annotated[FormColumn, BeforeValidator(_column(tuple(INDICATOR_COLUMNS)))]
BudgetColumn = Annotated[FormColumn, BeforeValidator(_column(tuple(BUDGET_COLUMNS)))]
# The national form's indicator table (财预〔2020〕10号).
DEFAULT_INDICATOR_COLUMNS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因")
Label = Annotated[str, Field(min_length=1, max_length=40)]
DEFAULT_NEEDS: tuple[FormNeed, ...] = ("年度目标", "绩效指标")
DEFAULT_HEADER: tuple[HeaderField, ...] = ("部门名称", "评价年度")
DEFAULT_GOALS: tuple[GoalColumn, ...] = ("预期目标", "完成情况")


class FormSettings(_Settings):
    """自评表: the national form's rows and columns as data."""

    指标列: list[IndicatorColumn] = Field(
        default_factory=lambda: [FormColumn(列=c) for c in DEFAULT_INDICATOR_COLUMNS],
        min_length=3,
        max_length=len(INDICATOR_COLUMNS),
    )
    预算列: list[BudgetColumn] = Field(
        default_factory=lambda: [FormColumn(列=c) for c in BUDGET_COLUMNS], min_length=1, max_length=len(BUDGET_COLUMNS)
    )
    预算行: list[BudgetRowName] = Field(
        default_factory=lambda: list(BUDGET_ROWS), min_length=1, max_length=len(BUDGET_ROWS)
    )
    行标题: dict[FormLabel, Label] = Field(default_factory=dict)
    表头: list[HeaderField] = Field(default_factory=lambda: list(DEFAULT_HEADER), min_length=1, max_length=7)
    目标栏: list[GoalColumn] = Field(default_factory=lambda: list(DEFAULT_GOALS), min_length=1, max_length=3)
    得分在前: bool = False
    得分系数: Literal["小数", "百分比"] = "小数"  # 0.95, or 95.00% as some provinces print it
    纸张方向: Literal["纵向", "横向", "自动"] = "自动"
    必填: list[FormNeed] = Field(default_factory=lambda: list(DEFAULT_NEEDS), max_length=len(FORM_NEEDS))

    @model_validator(mode="after")
    def _no_repeats(self) -> FormSettings:
        for group in ("指标列", "预算列"):
            names = [(c.列, c.名) for c in getattr(self, group)]
            if len(set(names)) != len(names):
                raise PydanticCustomError("form_column", "「{group}」中有重复的列", {"group": group})
        return self


Margin = Annotated[Decimal, Field(ge=10, le=80)]
Lines = Annotated[int, Field(ge=5, le=60)]
Pitch = Annotated[Decimal, Field(ge=8, le=60)]
Size = Annotated[Decimal, Field(ge=6, le=36)]
TableLine = Annotated[Decimal, Field(ge=6, le=60)]
Role = Literal["标题", "正文", "一级标题", "二级标题", "附件标签", "页码", "表格"]


class LayoutSettings(_Settings):
    """版式: the standard's numbers (reportgen/page.py), each within a range a page can be set in;
    a number not stated keeps the standard's."""

    上白边: Margin | None = None
    左白边: Margin | None = None
    版心宽: Annotated[Decimal, Field(ge=80, le=200)] | None = None
    版心高: Annotated[Decimal, Field(ge=100, le=280)] | None = None
    每页行数: Lines | None = None
    每行字数: Lines | None = None
    行距: Pitch | None = None
    正文字号: Size | None = None
    标题字号: Annotated[Decimal, Field(ge=6, le=48)] | None = None
    层次标题字号: Size | None = None
    附件标识字号: Size | None = None
    页码字号: Size | None = None
    页码距版心: Annotated[Decimal, Field(ge=0, le=30)] | None = None
    表格字号: Size | None = None
    表格行距: TableLine | None = None
    自评表字号: Size | None = None
    自评表行距: TableLine | None = None
    字体: dict[Role, FontSettings] = Field(default_factory=dict)


def _plain_name(value: Any) -> Any:
    if isinstance(value, str) and ("/" in value or "\\" in value or value.startswith(".")):
        raise PydanticCustomError("parent", "「继承」写内置模板的名称（如 base、荔湾），不能写路径")
    return value


Outline = dict[str, list[str]]
DocumentKind = Literal["报告", "自评表"]
DEFAULT_KINDS: tuple[DocumentKind, ...] = ("报告",)


class Settings(_Settings):
    """One settings.yaml, and the merged settings of a chain: a district states only what differs
    from the template it inherits; what no file states has the value given here."""

    名称: str | None = Field(None, max_length=50)
    别名: list[str] = Field(default_factory=list, max_length=20)
    说明: str | None = None
    继承: Annotated[str, Field(max_length=50)] | None = None
    格式: FormatSettings = Field(default_factory=FormatSettings)
    附件标签: str | None = Field(None, max_length=20)  # 版心左上角的「附件2」；null 不印
    列表编号: str = Field("（{n}）", max_length=20)
    文书名称: str = Field("部门整体支出绩效自评报告", max_length=50)
    自评表名称: str = Field("部门整体支出绩效自评表", max_length=50)
    自称: str = Field("我部门", max_length=20)
    句子位置: Literal["在前", "在后", "不印"] = "在前"
    资金来源全部印出: bool = False
    人员情况形式: Literal["句子", "表格", "句子和表格"] = "句子"
    人员称呼: dict[StaffWord, Annotated[str, Field(min_length=1, max_length=20)]] = Field(default_factory=dict)
    前言: bool = False
    标题编号: bool = True  # 一、 and （一） before the headings; a document of tables alone may go without
    大纲: Outline = Field(default_factory=dict, max_length=12)
    标题改写: dict[str, str] = Field(default_factory=dict)
    文书: list[DocumentKind] = Field(default_factory=lambda: list(DEFAULT_KINDS), min_length=1)
    嵌入源文件: bool = True
    合订: bool = False
    评分: ScoreSettings = Field(default_factory=ScoreSettings)
    版式: LayoutSettings = Field(default_factory=LayoutSettings)
    调整率小数位: Places | None = None
    自评表注: list[str] = Field(default_factory=list, max_length=20)
    自评表列宽: str | None = Field(None, pattern=r"^\s*\d+(\.\d+)?(\s+\d+(\.\d+)?){5}\s*$")
    自评表: FormSettings = Field(default_factory=FormSettings)
    自定义: dict[str, Any] = Field(default_factory=dict, description="区模板自己的文字，模板中用 s.自定义.键名 引用")
    废止文件: dict[str, str] = Field(
        default_factory=dict, max_length=200, description="已废止的文件：旧文号 → 现行文号，正文引用旧文号时提示"
    )

    @model_validator(mode="before")
    @classmethod
    def _parent_is_a_name(cls, value: Any) -> Any:
        if isinstance(value, dict) and "继承" in value:
            _plain_name(value["继承"])
        return value

    def number_format(self, own: Mapping[str, Any] | None = None) -> NumberFormat:
        return self.格式.number_format(own)

    def score_sheet(self) -> ScoreSheet:
        return self.评分.sheet(self.名称 or "通用")

    def for_templates(self) -> dict[str, Any]:
        """The settings as a template reads them (`s.文书名称`, `s.自定义.键名`): plain values,
        whole numbers as int, the others as float; settings that are not set are absent."""
        return _plain(self.model_dump(exclude_none=True))


DEFAULTS = Settings()


def _plain(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_plain(v) for v in data]
    if isinstance(data, Decimal):
        return int(data) if data == data.to_integral_value() and data.as_tuple().exponent >= 0 else float(data)  # type: ignore[operator]
    return data


def read(path: Path) -> dict[str, Any]:
    """A settings.yaml, checked, as the values it states (for merging); {} when the folder has none."""
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
    stated = without_nulls(loaded.data)
    try:
        Settings.model_validate(stated)
    except ValidationError as exc:
        problems += [translate(dict(error), loaded, Settings) for error in exc.errors()]
    if problems:
        raise InvalidSettings(list(dict.fromkeys(problems)))
    return stated if isinstance(stated, dict) else {}


def merged(files: list[dict[str, Any]], where: str) -> Settings:
    """The settings of a chain, most general first, each file's over its parent's."""
    result: dict[str, Any] = {}
    for stated in files:
        result = merge(result, stated)
    try:
        return Settings.model_validate(result)
    except ValidationError as exc:  # each file was valid alone: only their combination can fail here
        first = exc.errors()[0]
        where_in = " › ".join(str(p) for p in first["loc"])
        raise TemplateError(f"{where}: 错误: 模板设置合并后不成立（{where_in}：{first['msg']}）") from exc


# Settings whose null says something ("no label", "no sheet name"); any other null means "as the
# parent template has it", and is dropped before the settings are merged.
NULL_MEANS_NONE = {("附件标签",), ("评分", "名称"), ("评分", "项目名称")}


def without_nulls(data: Any, path: tuple[str, ...] = ()) -> Any:
    if isinstance(data, dict):
        return {
            k: without_nulls(v, (*path, k)) for k, v in data.items() if v is not None or (*path, k) in NULL_MEANS_NONE
        }
    return data


# Settings a template states whole: an outline lists all its parts, in order, or none; a score
# sheet's categories are its own (a 90-point 绩效指标 does not join the parent's 产出/效益/满意度).
WHOLE = {("大纲",), ("评分", "类别")}


def merge(base: dict[str, Any], override: dict[str, Any], path: tuple[str, ...] = ()) -> dict[str, Any]:
    """Deep merge: a district states only the settings that differ from its parent."""
    result = dict(base)
    for key, value in override.items():
        here = (*path, key)
        if isinstance(value, dict) and isinstance(result.get(key), dict) and here not in WHOLE:
            result[key] = merge(result[key], value, here)
        else:
            result[key] = value
    return result
