"""The columns the 自评表 can print, each once: its key (as settings.yaml names it), its natural
width, its printed heading, and what a row prints in it.

Settings are validated against these tables and the form is built from them, so a new column is
one line here (and its field in the input model).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, get_args

from reportgen.figures.formulas import round_half_up
from reportgen.figures.numbers import NumberFormat
from reportgen.figures.scoring import ItemScore, ScoreSheet, parse_target


def points(value: Decimal) -> str:
    """Points as a form prints them: 20, 7.5, 19.49."""
    rounded = round_half_up(value, 2)
    return format(rounded.normalize() if rounded == rounded.to_integral() else rounded, "f")


@dataclass(frozen=True)
class IndicatorRow:
    """What one indicator row knows: its score, and how figures print."""

    item: ItemScore
    fmt: NumberFormat
    sheet: ScoreSheet
    factor_in_percent: bool = False  # 得分系数 as 95% rather than 0.95


@dataclass(frozen=True)
class Column:
    key: str
    width: float  # relative, about a centimetre at its natural size
    heading: str
    value: Callable[[IndicatorRow], str]


def _field(name: str) -> Callable[[IndicatorRow], str]:
    return lambda row: str(getattr(row.item.indicator, name) or "")


def _nature(row: IndicatorRow) -> str:
    ind = row.item.indicator
    return ind.指标性质 or ("定性" if parse_target(ind.年度指标值, ind.方向).direction == "定性" else "定量")


def _core(row: IndicatorRow) -> str:
    core = row.item.indicator.核心指标
    return "" if core is None else ("是" if core else "否")


def _actual(row: IndicatorRow) -> str:
    """A measured value, or the verdict on a qualitative indicator."""
    ind = row.item.indicator
    return ind.实际完成值 or ind.评价 or ""


def _completion(row: IndicatorRow) -> str:
    return row.fmt.rate(row.item.completion) if row.item.completion is not None else ""


def _factor(row: IndicatorRow) -> str:
    factor = row.item.factor
    if factor is None:
        return ""
    if row.factor_in_percent:
        return row.fmt.rate(factor * 100)
    return format(round_half_up(factor, 2), "f")


def _score(row: IndicatorRow) -> str:
    """The row's points: computed, or the unit's own (validate says which); empty with neither."""
    item = row.item
    if item.score is None:
        return ""
    return row.fmt.score(item.score) + (row.sheet.stated_mark if item.source == "手填" else "")


INDICATOR_COLUMNS: dict[str, Column] = {
    c.key: c
    for c in (
        Column("一级指标", 1.3, "一级指标", _field("一级指标")),
        Column("二级指标", 1.5, "二级指标", _field("二级指标")),
        Column("三级指标", 2.5, "三级指标", _field("三级指标")),
        Column("指标性质", 1.1, "指标性质", _nature),
        Column("核心指标", 1.1, "核心指标", _core),
        Column("年初指标值", 1.4, "年初指标值", _field("年初指标值")),
        Column("调整指标值", 1.4, "调整指标值", _field("调整指标值")),
        Column("年度指标值", 1.5, "年度指标值", _field("年度指标值")),
        Column("实际完成值", 1.5, "实际完成值", _actual),
        Column("完成率", 1.2, "完成率", _completion),
        Column("分值", 0.9, "分值", lambda row: points(row.item.points)),
        Column("得分系数", 1.1, "得分系数", _factor),
        Column("得分", 1.0, "得分", _score),
        Column("偏差原因", 3.2, "偏差原因分析及改进措施", _field("偏差原因")),
        Column("计量单位", 1.0, "计量单位", _field("计量单位")),
        Column("评价标准", 2.6, "评价标准", _field("评价标准")),
        Column("指标说明", 2.6, "指标说明", _field("指标说明")),
        Column("其他列", 1.6, "其他", lambda row: ""),  # a column of the bureau's own: see other_column
    )
}


def other_column(name: str) -> Callable[[IndicatorRow], str]:
    """A column a bureau adds by name (自评表 › 指标列: {列: 其他列, 名: 数据来源}): what each
    indicator wrote under that name in its 其他列."""
    return lambda row: (row.item.indicator.其他列 or {}).get(name, "")


MERGED_DOWN = ("一级指标", "二级指标")  # equal neighbours in these columns join into one cell
LEFT_ALIGNED = ("偏差原因", "评价标准", "指标说明")


@dataclass(frozen=True)
class BudgetRow:
    """One row of 年度预算执行情况: the total or one source of funds."""

    initial: Decimal | None
    budget: Decimal | None
    spent: Decimal | None
    rate: Decimal | None
    whole: bool  # the 年度资金总额 row carries the points and the score
    sheet_points: Decimal | None = None
    score: Decimal | None = None
    rate_mark: str = ""  # the sheet's mark after a rate or score the unit stated
    score_mark: str = ""


@dataclass(frozen=True)
class BudgetColumn:
    key: str
    heading: str
    value: Callable[[BudgetRow, NumberFormat], str]


def _money(name: str) -> Callable[[BudgetRow, NumberFormat], str]:
    def value(row: BudgetRow, fmt: NumberFormat) -> str:
        amount = getattr(row, name)
        return fmt.money(amount) if amount is not None else ""

    return value


def _total_only(name: str) -> Callable[[BudgetRow, NumberFormat], str]:
    """分值 and 得分 belong to the total row; a source row prints a dash.  The 得分 prints as every
    score does (得分小数位)."""

    def value(row: BudgetRow, fmt: NumberFormat) -> str:
        if not row.whole:
            return "—"
        amount = getattr(row, name)
        if amount is None:
            return ""
        return fmt.score(amount) + row.score_mark if name == "score" else points(amount)

    return value


def _rate(row: BudgetRow, fmt: NumberFormat) -> str:
    return "" if row.rate is None else fmt.rate(row.rate) + row.rate_mark


BUDGET_COLUMNS: dict[str, BudgetColumn] = {
    c.key: c
    for c in (
        BudgetColumn("年初预算数", "年初预算数", _money("initial")),
        BudgetColumn("全年预算数", "全年预算数", _money("budget")),
        BudgetColumn("全年执行数", "全年执行数", _money("spent")),
        BudgetColumn("分值", "分值", _total_only("sheet_points")),
        BudgetColumn(
            "执行率", "执行率", lambda row, fmt: "" if row.rate is None else fmt.rate(row.rate) + row.rate_mark
        ),
        BudgetColumn("得分", "得分", _total_only("score")),
    )
}

# The rows of 年度预算执行情况, with their printed labels.
BudgetRowName = Literal[
    "年度资金总额", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款", "其他资金"
]
BUDGET_ROWS: tuple[BudgetRowName, ...] = get_args(BudgetRowName)
ROW_HEADINGS = {
    "年度资金总额": "年度资金总额",
    "一般公共预算财政拨款": "其中：一般公共预算财政拨款",
    "政府性基金预算财政拨款": "政府性基金预算财政拨款",
    "国有资本经营预算财政拨款": "国有资本经营预算财政拨款",
    "其他资金": "其他资金",
}
# The form's fixed labels, each renameable under 自评表 › 行标题, and what each prints by default.
FormLabel = Literal[
    "部门名称", "评价年度", "主管部门", "财政处室", "联系人", "联系电话", "填报日期",
    "自评得分", "自评等级", "年度预算执行情况", "年度资金总额",
    "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款", "其他资金",
    "年度总体目标", "年初目标", "预期目标", "实际完成情况", "总分",
]  # fmt: skip
# The header's fields a form may print (自评表 › 表头), two to a row, each a label and its value.
HeaderField = Literal["部门名称", "评价年度", "主管部门", "财政处室", "联系人", "联系电话", "填报日期"]
# The columns of 年度总体目标 (自评表 › 目标栏).
GoalColumn = Literal["年初目标", "预期目标", "完成情况"]
FORM_LABELS: dict[str, str] = {
    "部门名称": "部门（单位）名称",
    "评价年度": "评价年度",
    "主管部门": "主管部门",
    "财政处室": "财政处室",
    "联系人": "联系人",
    "联系电话": "联系电话",
    "填报日期": "填报日期",
    "自评得分": "自评得分",
    "自评等级": "自评等级",
    "年度预算执行情况": "年度预算执行情况（万元）",
    **ROW_HEADINGS,
    "年度总体目标": "年度总体目标",
    "年初目标": "年初绩效目标",
    "预期目标": "预期目标",
    "实际完成情况": "实际完成情况",
    "总分": "总分",
}
# What a form may need the file to have (自评表 › 必填).
FormNeed = Literal[
    "年度目标", "绩效指标", "主要任务", "存在的主要问题", "下一步改进措施",
    "部门整体收支情况", "年初预算数", "全年预算数",
]  # fmt: skip
FORM_NEEDS: tuple[FormNeed, ...] = get_args(FormNeed)
