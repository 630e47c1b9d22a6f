"""The input format: what a department's YAML may contain, in the outline's own words.

Field names are the Chinese keys the officer types, so the JSON Schema printed by
`reportgen schema` completes them in an editor as they stand in the outline.  Money is a number of
万元 kept as typed (`Decimal`); narrative is free text, one paragraph per line.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

# Bounds on what a file may hold (documented in docs/checks.md): far beyond any real report, and
# close enough that every figure can be computed and printed and every document built in seconds.
MAX_TEXT = 5_000  # characters in one paragraph or cell (about 180 lines)
MAX_NUMBER = Decimal("1e12")  # 万元 (the whole national budget is about 3e9 万元)
MAX_PLACES = 6
MAX_BLOCKS = 1_000  # paragraphs and other blocks in one part or section
MAX_ROWS = 300  # rows of one table (a report's longest is about 40)
MAX_COLUMNS = 20
MAX_ITEMS = 200  # indicators, tasks, key projects


class Model(BaseModel):
    # built when first used: a report is validated as one tree, so each part's own validator,
    # built at import, would only be built again inside the report's (a third of `validate`)
    model_config = ConfigDict(
        extra="forbid", frozen=False, str_strip_whitespace=True, str_max_length=MAX_TEXT, defer_build=True
    )


# ---------------------------------------------------------------- scalar types


def _bounded(value: int | Decimal) -> int | Decimal:
    """A figure every formula can take: finite, below a trillion, at most six decimal places."""
    number = Decimal(value)
    if not number.is_finite() or number.copy_abs() >= MAX_NUMBER:  # copy_abs: no context, no overflow
        raise PydanticCustomError("number_range", "数字过大：不能超过一万亿（金额以万元计）")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_PLACES:
        raise PydanticCustomError("number_places", "小数位过多：最多 6 位")
    return value


def _number(value: Any, unit: str = "单位万元") -> Any:
    """Money, counts and points must be YAML numbers; a quoted, comma-grouped or unit-suffixed
    figure gets a hint in its own unit."""
    if isinstance(value, bool):
        raise PydanticCustomError("number", "应填数字，不是是/否")
    if isinstance(value, int | Decimal):
        return _bounded(value)
    if isinstance(value, float):
        return _bounded(Decimal(repr(value)))
    if isinstance(value, str):
        plain = value.strip().replace(",", "").replace("，", "")
        plain = re.sub(r"(万元|万|元|分|人|个|名)$", "", plain).strip()
        if re.fullmatch(r"-?\d+(\.\d+)?", plain):
            raise PydanticCustomError(
                "number_text",
                "应填数字，不要加引号、千位分隔符或单位：写成 {plain}",
                {"plain": plain},
            )
        if re.fullmatch(r"[-+]?\d+(\.\d*)?[eE][-+]?\d+", plain):  # YAML reads 1e5 as text
            raise PydanticCustomError(
                "number_text",
                "「{value}」是科学记数法，读作文字：请直接写出数字（{unit}）",
                {"unit": unit, "value": value},
            )
        raise PydanticCustomError("number", "应填数字（{unit}），而不是「{value}」", {"unit": unit, "value": value})
    raise PydanticCustomError("number", "应填数字")


def _yes_no(value: Any) -> Any:
    """是 / 否 as a finance officer writes them, besides YAML's true / false."""
    if isinstance(value, str) and value.strip() in ("是", "否"):
        return value.strip() == "是"
    return value


def _percent(value: Any) -> Any:
    """A rate typed by the author: 99.77 or "99.77%" both mean 99.77 %."""
    if isinstance(value, str) and value.strip().endswith(("%", "％")):
        plain = value.strip()[:-1].strip()
        if re.fullmatch(r"-?\d{1,15}(\.\d{1,6})?", plain):
            return Decimal(plain)
    return _number(value)


Money = Annotated[
    Decimal,
    BeforeValidator(_number),
    Field(ge=0),
    WithJsonSchema({"type": "number", "minimum": 0}),
]
Percent = Annotated[
    Decimal,
    BeforeValidator(_percent),
    WithJsonSchema({"type": ["number", "string"], "pattern": r"^-?\d+(\.\d+)?\s*[%％]?$"}),
]
Count = Annotated[
    int,
    BeforeValidator(lambda v: _number(v, "人数或个数")),
    Field(ge=0, le=10_000_000),
    WithJsonSchema({"type": "integer", "minimum": 0}),
]
Points = Annotated[
    Decimal,
    BeforeValidator(lambda v: _number(v, "单位分")),
    Field(ge=0),
    WithJsonSchema({"type": "number", "minimum": 0}),
]


def _lines(value: Any) -> Any:
    """Narrative: a text block becomes one paragraph per non-empty line."""
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    if value is None:
        return []
    return value


# ---------------------------------------------------------------- blocks of narrative


def _as_text(value: Any) -> Any:
    """A number written where text is meant (a telephone number): its digits as written."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    return value


def _numbers_as_text(value: Any) -> Any:
    """Targets and results print as typed: a YAML number is kept as its digits."""
    if isinstance(value, dict):
        for key in ("年度指标值", "实际完成值", "三级指标", "二级指标", "年初指标值", "调整指标值"):
            if isinstance(value.get(key), int | Decimal) and not isinstance(value.get(key), bool):
                value = {
                    **value,
                    key: format(value[key], "f") if isinstance(value[key], Decimal) else str(value[key]),
                }
    return value


class Indicator(Model):
    """One performance indicator: a row of an indicator table, and, with 分值, a scored item.

    Scoring follows 财预〔2020〕10号: a quantitative indicator gets its points in proportion to
    completion (capped at full marks); a qualitative one gets the share of its points that the
    evaluator picks within the band of 达成 / 部分达成 / 未达成.
    """

    model_config = ConfigDict(title="指标")

    一级指标: str = Field(description="如「产出指标」「效益指标」；相同的连续行在表中合并")
    二级指标: str = Field("", description="如「数量指标」「社会效益指标」")
    三级指标: str = Field("", description="具体指标名称，如「共护校园数」")
    年度指标值: str = Field("", description="目标值，原样印出，如「263」「≥95%」「≤5天」「提升」")
    分值: Points | None = Field(None, description="该指标的权重（分）；不填则按评分表平分所属类别的分值")
    方向: Literal["越大越好", "越小越好", "等于", "定性"] | None = Field(
        None, description="不填则由年度指标值判断：≥ 或纯数字为越大越好，≤ 为越小越好，= 为等于，非数字为定性"
    )
    实际完成值: str | None = Field(None, description="实际完成值，如「98%」「270」；定性指标可写完成情况")
    评价: Literal["达成", "部分达成", "未达成"] | None = Field(None, description="定性指标的评价等级")
    得分比例: Percent | None = Field(None, description="定性指标在评价等级范围内给出的得分比例（%），不填取该等级上限")
    得分: Percent | None = Field(None, description="手填的得分，与计算值核对")
    偏差原因: str | None = Field(
        None, description="未完成或超额较多时的偏差原因分析及改进措施（自评表「偏差原因」列）", max_length=2_000
    )
    指标性质: str | None = Field(
        None,
        description="自评表「指标性质」列，如「定量」「定性」「正向」；不填时按方向印「定量」或「定性」",
        max_length=20,
    )
    核心指标: Annotated[bool, BeforeValidator(_yes_no)] | None = Field(
        None, description="是否核心指标：是 / 否（或 true / false）；自评表「核心指标」列印「是」或「否」"
    )
    年初指标值: str | None = Field(
        None, description="年初设定的指标值（自评表「年初指标值」列），原样印出", max_length=100
    )
    调整指标值: str | None = Field(
        None, description="年中调整后的指标值（自评表「调整指标值」列），原样印出", max_length=100
    )
    计量单位: str | None = Field(None, description="自评表「计量单位」列，如「人次」「%」", max_length=20)
    评价标准: str | None = Field(None, description="自评表「评价标准」列：该指标怎样计分", max_length=500)
    指标说明: str | None = Field(None, description="自评表「指标说明」列：指标的含义或口径", max_length=500)
    其他列: dict[str, str] | None = Field(
        None,
        description="区模板自评表中另设的列（按列名填写，如「数据来源: 培训签到表」），原样印出",
        max_length=20,
    )

    @model_validator(mode="before")
    @classmethod
    def _numbers_as_text(cls, value: Any) -> Any:
        return _numbers_as_text(value)


class IndicatorTable(Model):
    """An indicator table embedded in the narrative."""

    model_config = ConfigDict(title="指标表")

    表头: list[str] | None = Field(
        None,
        description="列标题，默认「一级指标、二级指标、三级指标、年度指标值」；四项，可改名",
        min_length=4,
        max_length=4,
    )
    指标: list[Indicator] = Field(description="每行一个指标", min_length=1, max_length=MAX_ITEMS)


def _cell(value: Any) -> Any:
    """A table cell prints as typed; a number in it must still be one the rules can add up."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return _bounded(value)
    return value


TableCell = Annotated[str | int | Decimal, BeforeValidator(_cell)]


class FreeTable(Model):
    """A free table: a header row and rows of cells, printed as typed."""

    model_config = ConfigDict(title="表格")

    表头: list[str] = Field(description="列标题", min_length=1, max_length=MAX_COLUMNS)
    行: list[list[TableCell]] = Field(description="每行一个列表，格数与表头相同", min_length=1, max_length=MAX_ROWS)

    @model_validator(mode="after")
    def _same_width(self) -> FreeTable:
        for i, row in enumerate(self.行):
            if len(row) != len(self.表头):
                raise PydanticCustomError(
                    "table_width",
                    "表格第 {row} 行有 {n} 格，表头有 {m} 列",
                    {"row": i + 1, "n": len(row), "m": len(self.表头)},
                )
        return self


class ProjectEval(Model):
    """项目支出绩效自评的范围；模板据此写出覆盖率句子并核对手填的覆盖率。"""

    model_config = ConfigDict(title="项目自评")

    一级项目数: Count = Field(description="开展自评的一级项目个数")
    二级项目数: Count | None = Field(None, description="开展自评的二级项目个数")
    涉及资金: Money = Field(description="自评项目涉及资金（万元）")
    项目支出总额: Money | None = Field(
        None, description="一般公共预算项目支出总额（万元）；不填则用「支出性质 › 项目支出」"
    )
    覆盖率: Percent | None = Field(None, description="手填的覆盖率（%），与计算值核对；不填则用计算值")


class ProjectScore(Model):
    """Quote a key project's computed score, as seed 001 does for its 88-point project."""

    model_config = ConfigDict(title="项目评分")

    项目: str = Field(description="「重点项目」中的项目名称")
    形式: Literal["结论", "评分表"] = Field("结论", description="「结论」印一句得分和等级，「评分表」印评分表")


class Block(Model):
    """One block of narrative.  A plain line of text is a paragraph; the other kinds are keyed."""

    model_config = ConfigDict(title="段落块")

    段落: str | None = Field(None, description="一段正文（首行缩进两字）")
    小标题: str | None = Field(None, description="三级或四级标题，编号照写，如「1.各项工作任务绩效目标完成情况分析」")
    列表: list[str] | None = Field(None, description="自动编号的条目，编号格式由模板决定")
    指标表: IndicatorTable | None = None
    表格: FreeTable | None = None
    项目自评: ProjectEval | None = None
    评分: Literal["结论", "评分表"] | None = Field(
        None, description="按「绩效指标」计算的自评得分：「结论」印一句得分和等级，「评分表」印各指标得分的表"
    )
    项目评分: ProjectScore | None = Field(None, description="某个重点项目的自评得分（句子或评分表）")

    @model_validator(mode="before")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"段落": value}
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> Block:
        kinds = [name for name in type(self).model_fields if getattr(self, name) is not None]
        if len(kinds) != 1:
            raise PydanticCustomError(
                "block_kind",
                "每一项只能是一段文字，或「小标题」「列表」「指标表」「表格」「项目自评」「评分」「项目评分」中的一种",
            )
        return self


Content = Annotated[
    list[Block],
    BeforeValidator(_lines),
    Field(description="正文：多行文字每行一段，或一个列表，每项是一段文字或表格等", max_length=MAX_BLOCKS),
]


# ---------------------------------------------------------------- sections


class Section(Model):
    """A second-level section （一）…: its own heading and narrative."""

    model_config = ConfigDict(title="小节")

    标题: str | None = Field(None, description="改写标题；不填则用键名。以「（一）」等编号开头时编号照写")
    内容: Content = []
    说明: str | None = Field(
        None, description="对本节文字的说明（如有意引用旧文件）；写明后文号、日期等文字提示不再出现"
    )

    @model_validator(mode="before")
    @classmethod
    def _bare_text(cls, value: Any) -> Any:
        if isinstance(value, str | list) or value is None:
            return {"内容": value}
        return value


class Sources(Model):
    model_config = ConfigDict(title="资金来源")
    一般公共预算财政拨款: Money | None = Field(None, description="万元")
    政府性基金预算财政拨款: Money | None = Field(None, description="万元")
    国有资本经营预算财政拨款: Money | None = Field(None, description="万元")
    其他资金: Money | None = Field(None, description="万元")


class SourceBudget(Model):
    """One source's row of the 自评表's budget block."""

    model_config = ConfigDict(title="来源预算")
    年初预算数: Money | None = Field(None, description="万元")
    全年预算数: Money | None = Field(None, description="万元")
    执行数: Money | None = Field(None, description="万元；不填时取「资金来源」中的同名数字")


class SourceBudgets(Model):
    """年初预算数, 全年预算数 and 执行数 by source: the rows 其中：… of the national 自评表."""

    model_config = ConfigDict(title="分来源预算")
    一般公共预算财政拨款: SourceBudget | None = None
    政府性基金预算财政拨款: SourceBudget | None = None
    国有资本经营预算财政拨款: SourceBudget | None = None
    其他资金: SourceBudget | None = None


class Nature(Model):
    """Spending by its nature: 基本支出 + 项目支出, or 人员经费 + 公用经费 + 项目支出."""

    model_config = ConfigDict(title="支出性质")
    基本支出: Money | None = Field(
        None, description="万元；基本支出 + 项目支出 = 执行数；不填时按 人员经费 + 公用经费 计算"
    )
    项目支出: Money | None = Field(None, description="万元")
    人员经费: Money | None = Field(None, description="万元；人员经费 + 公用经费 = 基本支出")
    公用经费: Money | None = Field(None, description="万元")


class IncomeSources(Model):
    """本年收入 by source, in the 决算 table's own words."""

    model_config = ConfigDict(title="收入来源")
    财政拨款收入: Money | None = Field(None, description="万元；可再分为下面三项")
    一般公共预算财政拨款收入: Money | None = Field(None, description="万元")
    政府性基金预算财政拨款收入: Money | None = Field(None, description="万元")
    国有资本经营预算财政拨款收入: Money | None = Field(None, description="万元")
    上级补助收入: Money | None = Field(None, description="万元")
    事业收入: Money | None = Field(None, description="万元")
    经营收入: Money | None = Field(None, description="万元")
    附属单位上缴收入: Money | None = Field(None, description="万元")
    其他收入: Money | None = Field(None, description="万元")


# The figures that can be compared with last year's (同比): the key in 上年 names the figure.
YEAR_ON_YEAR_KEYS = (
    "全年预算数",
    "执行数",
    "本年收入",
    "本年支出",
    "财政拨款收入",
    "基本支出",
    "项目支出",
    "人员经费",
    "公用经费",
    "年末结转和结余",
)


class LastYear(Model):
    """Last year's figures, for 增减额 and 增减率 (同比)."""

    model_config = ConfigDict(title="上年")
    全年预算数: Money | None = Field(None, description="上年全年预算数（万元）")
    执行数: Money | None = Field(None, description="上年执行数（万元）")
    本年收入: Money | None = Field(None, description="上年的本年收入（万元）")
    本年支出: Money | None = Field(None, description="上年的本年支出（万元）")
    财政拨款收入: Money | None = Field(None, description="上年财政拨款收入（万元）")
    基本支出: Money | None = Field(None, description="上年基本支出（万元）")
    项目支出: Money | None = Field(None, description="上年项目支出（万元）")
    人员经费: Money | None = Field(None, description="上年人员经费（万元）")
    公用经费: Money | None = Field(None, description="上年公用经费（万元）")
    年末结转和结余: Money | None = Field(None, description="上年年末结转和结余（万元）")


class TypedChanges(Model):
    """同比 rates typed by the author, checked against the computed ones."""

    model_config = ConfigDict(title="同比")
    全年预算数: Percent | None = Field(None, description="手填的增减率（%），增长为正、下降为负")
    执行数: Percent | None = Field(None, description="手填的增减率（%）")
    本年收入: Percent | None = Field(None, description="手填的增减率（%）")
    本年支出: Percent | None = Field(None, description="手填的增减率（%）")
    财政拨款收入: Percent | None = Field(None, description="手填的增减率（%）")
    基本支出: Percent | None = Field(None, description="手填的增减率（%）")
    项目支出: Percent | None = Field(None, description="手填的增减率（%）")
    人员经费: Percent | None = Field(None, description="手填的增减率（%）")
    公用经费: Percent | None = Field(None, description="手填的增减率（%）")
    年末结转和结余: Percent | None = Field(None, description="手填的增减率（%）")


SentencePlace = Literal["在前", "在后", "不印"]


class Funds(Section):
    """部门整体收支情况: the figures; the sentences quoting them come from the template.

    Every figure is optional: the sentences quote what is written, and each check runs when the
    figures it needs are there.
    """

    model_config = ConfigDict(title="部门整体收支情况")

    全年预算数: Money | None = Field(None, description="调整后的全年预算数（万元），预算完成率的分母")
    执行数: Money | None = Field(None, description="全年实际支出（万元）；不填时用「本年支出」")
    年初预算数: Money | None = Field(None, description="年初预算数（万元），用于预算调整率")
    资金来源: Sources | None = Field(None, description="支出按资金来源分，合计应等于执行数")
    支出性质: Nature | None = Field(None, description="支出按性质分，合计应等于执行数")
    分来源预算: SourceBudgets | None = Field(
        None, description="自评表：各资金来源的年初预算数、全年预算数、执行数；各项合计应等于总数"
    )
    年初结转和结余: Money | None = Field(None, description="万元")
    本年收入: Money | None = Field(None, description="万元；不填时按「收入来源」合计")
    收入来源: IncomeSources | None = Field(None, description="本年收入按来源分，合计应等于本年收入")
    总收入: Money | None = Field(None, description="万元（含上年结转）")
    总支出: Money | None = Field(None, description="万元（含年末结转）")
    本年支出: Money | None = Field(None, description="万元；应等于执行数")
    年末结转和结余: Money | None = Field(None, description="万元；年初结转和结余 + 本年收入 − 本年支出")
    上年: LastYear | None = Field(None, description="上年的数字，用于同比（增减额、增减率）")
    同比: TypedChanges | None = Field(None, description="手填的同比增减率（%），与计算值核对")
    预算完成率: Percent | None = Field(
        None,
        description="手填的预算完成率（执行率，%）：有全年预算数和执行数时与计算值核对；没有时作为单位所填的执行率印出并计分，校验时注明未经计算",
    )
    预算调整率: Percent | None = Field(None, description="手填的预算调整率（%），与计算值核对")
    执行率得分: Points | None = Field(
        None,
        description="手填的预算执行率得分：只在没有全年预算数和执行数、也没有预算完成率时使用，校验时注明未经计算",
    )
    说明: str | None = Field(None, description="对异常数字的说明（如完成率低于 90%、超过 100%）；填写后不再提示")
    句子: SentencePlace | None = Field(
        None, description="模板生成的收支句子放在本节正文之前（在前）、之后（在后）或不印；不填用模板的设置"
    )

    @model_validator(mode="before")
    @classmethod
    def _bare_text(cls, value: Any) -> Any:
        return value

    @property
    def figures_only(self) -> bool:
        """Kept for the figures alone: nothing of it is printed (the text that quotes them stands
        elsewhere in the report, as written)."""
        return self.句子 == "不印" and not self.内容


Headcounts = Annotated[
    dict[str, Count],
    Field(description="各类人数，键为类别名称（原样印出），如「行政编制: 30」"),
]


StaffWord = Literal["内设机构", "下属单位", "编制数", "实有人数", "在职人数", "在职人员控制率", "在职人员中"]


class Staffing(Section):
    """机构和人员: offices, posts (编制) and people (实有), with their breakdowns."""

    model_config = ConfigDict(title="机构和人员")

    内设机构: Count | None = Field(None, description="内设机构个数")
    下属单位: Count | None = Field(None, description="下属单位个数")
    编制数: Count | None = Field(None, description="编制人数合计")
    编制构成: Headcounts | None = Field(
        None, description="编制按类别分，如 {行政编制: 30, 事业编制: 22}；合计应等于编制数"
    )
    实有人数: Count | None = Field(None, description="实有人数合计")
    实有构成: Headcounts | None = Field(
        None, description="实有人数按类别分，如 {在职: 48, 离退休: 17}；合计应等于实有人数"
    )
    在职人数: Count | None = Field(None, description="在职人数；不填时取「实有构成」中的「在职」")
    在职构成: Headcounts | None = Field(
        None, description="在职人员按类别分，如 {行政: 28, 事业: 20}；合计应等于在职人数"
    )
    在职人员控制率: Percent | None = Field(
        None, description="手填的在职人员控制率（%）= 在职人数 ÷ 编制数，与计算值核对"
    )
    说明: str | None = Field(None, description="对超编等情况的说明；填写后不再提示")
    称呼: dict[StaffWord, Annotated[str, Field(min_length=1, max_length=20)]] | None = Field(
        None, description="句子和表格中各项的叫法，如 {实有人数: 实有在编人数, 下属单位: 所属单位}；不填用模板的设置"
    )
    形式: Literal["句子", "表格", "句子和表格"] | None = Field(
        None, description="模板印出人员情况的形式：句子、表格或两者；不填为句子"
    )
    句子: SentencePlace | None = Field(None, description="生成的句子放在本节正文之前、之后或不印")

    @model_validator(mode="before")
    @classmethod
    def _bare_text(cls, value: Any) -> Any:
        return value


class Part(Model):
    """A first-level part 一、…: optional lead paragraphs, then its second-level sections.

    Any key besides 标题 and 内容 is a second-level section, in the order written.  The funds and
    staffing sections may stand in any part.
    """

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True, title="部分")
    __pydantic_extra__: dict[str, Section] = Field(init=False)

    标题: str | None = Field(None, description="改写标题；不填则用键名")
    内容: Content = Field([], description="紧接一级标题的正文（在各小节之前）")
    说明: str | None = Field(None, description="对本部分文字的说明；写明后文号、日期等文字提示不再出现")
    部门整体收支情况: Funds | None = Field(None, description="全年预算数、执行数、收入及其构成；句子由模板生成")
    机构和人员: Staffing | None = Field(None, description="内设机构、编制和实有人数；句子或表格由模板生成")

    _order: list[str] = PrivateAttr(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _bare_text(cls, value: Any) -> Any:
        if isinstance(value, str | list) or value is None:
            return {"内容": value}
        return value

    @model_validator(mode="wrap")
    @classmethod
    def _keep_order(cls, value: Any, handler: Any) -> Any:
        result = handler(value)
        if isinstance(value, dict):
            result._order = [k for k in value if k not in ("标题", "内容")]
        return result

    def sections(self) -> list[tuple[str, Section]]:
        """Second-level sections in the order the author wrote them; a funds section kept for its
        figures alone (句子: 不印, no text: the part's own text quotes them) has no heading to print."""
        found: list[tuple[str, Section]] = []
        for key in self._order:
            section = getattr(self, key, None) if key in type(self).model_fields else None
            if section is None and self.model_extra:
                section = self.model_extra.get(key)
            if section is not None and not (isinstance(section, Funds) and section.figures_only):
                found.append((key, section))
        return found


class Formats(Model):
    """Number formats; a district template sets them, a file may override."""

    model_config = ConfigDict(title="格式")

    金额小数位: Annotated[int, Field(ge=0, le=4)] | Literal["原样"] | None = Field(
        None, description="金额保留几位小数（0–4）；「原样」表示按填写的位数印出"
    )
    千位分隔符: bool | None = Field(None, description="金额是否加千位分隔符，如 150,490.53")
    比率小数位: int | None = Field(None, ge=0, le=4, description="百分比保留几位小数，如 2 → 99.77%")
    得分小数位: int | None = Field(None, ge=0, le=2, description="自评得分印几位小数：2 → 97.00 分，0 → 97 分")


class Signoff(Model):
    model_config = ConfigDict(title="落款")
    单位: str = Field(description="落款单位全称")
    日期: str = Field(description="成文日期，如「2023年1月5日」（不编虚位）")


Lines = Annotated[list[str], BeforeValidator(_lines), Field(description="多行文字，每行一段")]


class KeyIndicator(Model):
    model_config = ConfigDict(title="关键指标")

    指标: str = Field(description="关键指标名称，如「社会矛盾纠纷化解处置率」")
    完成情况: str = Field(description="指标完成情况，原样印出，如「99.10%」")

    @model_validator(mode="before")
    @classmethod
    def _numbers_as_text(cls, value: Any) -> Any:
        return _numbers_as_text(value)


class Task(Model):
    """自评表的一项主要任务。"""

    model_config = ConfigDict(title="主要任务")

    名称: str | None = Field(None, description="不填则为「任务1」「任务2」……")
    预期目标: Lines
    完成情况: Lines = Field(description="目标完成情况")
    关键指标: list[KeyIndicator] = Field(min_length=1, max_length=MAX_ITEMS, description="关键指标及其完成情况")
    涉及资金: Money = Field(description="任务涉及资金（万元）")


class Goals(Model):
    model_config = ConfigDict(title="年度目标")

    预期目标: Lines = Field(description="部门整体支出的预期目标（年中调整过的，写调整后的全年目标）")
    完成情况: Lines = Field(description="部门整体支出的目标完成情况")
    年初目标: Lines = Field([], description="年初设定的绩效目标（自评表印「年初绩效目标」一栏时用）")


class FormDetails(Model):
    """自评表表头的填报信息：区模板的「自评表 › 表头」列出要印的几项。"""

    model_config = ConfigDict(title="填报信息")

    主管部门: str | None = Field(None, description="主管部门（单位）名称", max_length=100)
    财政处室: str | None = Field(None, description="对口的财政处室或主管科室", max_length=100)
    联系人: str | None = Field(None, description="填报联系人", max_length=50)
    联系电话: Annotated[str, BeforeValidator(_as_text)] | None = Field(
        None, description="联系电话，原样印出", max_length=50
    )
    填报日期: str | None = Field(None, description="填报日期，如「2025年3月20日」", max_length=50)


class KeyProject(Model):
    model_config = ConfigDict(title="重点项目")

    名称: str = Field(description="重点项目名称")
    绩效情况: Lines = Field([], description="项目绩效情况（自评表中印出）")
    预算数: Money | None = Field(None, description="项目全年预算数（万元），用于项目的预算执行率得分")
    执行数: Money | None = Field(None, description="项目执行数（万元）")
    绩效指标: list[Indicator] | None = Field(
        None, description="项目的绩效指标，用于计算项目自评得分", max_length=MAX_ITEMS
    )
    自评得分: Percent | None = Field(None, description="手填的项目自评得分，与计算值核对")


DOCUMENT_KINDS = ("报告", "自评表")
STANDARD_PARTS = ("基本情况", "综合评价分析", "绩效自评情况", "存在的主要问题", "下一步改进措施")
# The second part goes by two names (越秀 calls it 绩效自评情况); a file writes one of them.
PART_ALTERNATIVES = {"综合评价分析": "绩效自评情况", "绩效自评情况": "综合评价分析"}
# Sections whose figures the template turns into sentences; they may stand in any part.
FIGURE_SECTIONS = ("部门整体收支情况", "机构和人员")


def _title(value: Any) -> Any:
    """A title may be one line or a list of lines, but never empty."""
    if value is None:
        return value
    lines = [value] if isinstance(value, str) else value
    if isinstance(lines, list) and (not lines or any(isinstance(x, str) and not x.strip() for x in lines)):
        raise PydanticCustomError("empty_title", "标题不能为空：删去「标题」一行即用默认标题，或写出标题文字")
    if isinstance(lines, list) and (len(lines) > 6 or any(isinstance(x, str) and len(x) > 100 for x in lines)):
        raise PydanticCustomError("long_title", "标题过长：最多 6 行，每行不超过 100 字")
    return value


class Report(Model):
    """部门整体支出绩效自评报告 — one department, one year.

    The parts (一、二、…) are the template's outline: the four standard parts by default; a
    district's template may declare others, and a part with its own 标题 may be added to any.
    """

    model_config = ConfigDict(title="部门整体支出绩效自评报告", extra="allow")
    __pydantic_extra__: dict[str, Part] = Field(init=False)

    部门名称: str = Field(description="部门全称，如「广州市公安局荔湾区分局」", min_length=1, max_length=100)
    年度: int = Field(ge=2000, le=2100, description="被评价年度，如 2022")
    模板: str | None = Field(None, description="区模板名（如「荔湾」）或模板文件夹路径", max_length=255)
    部门简称: str | None = Field(None, description="句中引用本部门时的简称，如「越秀区公安分局」")
    自称: str | None = Field(None, description="报告中本部门的自称，如「我局」「我部门」；不填用模板的设置")
    标题: Annotated[str | list[str] | None, BeforeValidator(_title)] = Field(
        None, description="改写文件标题；写成列表时每项一行（长标题按意思断行）"
    )
    附件标签: str | None = Field(None, description="版心左上角的附件标识，如「附件2」；不填用模板的设置")
    文书名称: str | None = Field(
        None,
        description="标题第二行的文书名称，如「单位整体支出绩效自评报告」；不填用模板的设置（部门整体支出绩效自评报告）",
        max_length=50,
    )
    格式: Formats | None = Field(None, description="覆盖模板的数字格式")
    前言: Content = Field([], description="标题之后、「一、」之前的正文（如评价依据、组织情况）")
    基本情况: Part | None = Field(None, description="第一部分：部门职能、收支情况、绩效目标等")
    综合评价分析: Part | None = Field(None, description="第二部分（荔湾、黄埔等的名称）")
    绩效自评情况: Part | None = Field(None, description="第二部分（越秀的名称）；与「综合评价分析」二选一")
    存在的主要问题: Part | None = Field(None, description="第三部分")
    下一步改进措施: Part | None = Field(None, description="第四部分")
    落款: Signoff | None = Field(None, description="署名和成文日期（可不填）")
    文书: list[Literal["报告", "自评表"]] | None = Field(
        None, description="本文件生成哪些文书：报告（自评报告）、自评表；不填用模板的设置"
    )
    年度目标: Goals | None = Field(None, description="自评表：部门整体支出的预期目标与完成情况")
    填报信息: FormDetails | None = Field(None, description="自评表表头：主管部门、财政处室、联系人、联系电话、填报日期")
    标题编号: bool | None = Field(
        None, description="各部分、各小节的标题前是否加「一、」「（一）」；只有表格的文书可写 false；不填用模板的设置"
    )
    主要任务: list[Task] | None = Field(None, description="自评表：主要任务及其关键指标", max_length=MAX_ITEMS)
    重点项目: list[KeyProject] | None = Field(
        None, description="重点项目：绩效情况、预算与执行、绩效指标和得分", max_length=MAX_ITEMS
    )
    部门整体绩效: Lines | None = Field(None, description="自评表：部门整体绩效")
    绩效指标: list[Indicator] | None = Field(
        None, description="用于计算自评得分的指标（含分值、目标、实际完成值）", max_length=MAX_ITEMS
    )
    自评得分: Percent | None = Field(None, description="手填的自评得分，与按评分表计算的得分核对")
    自评等级: str | None = Field(
        None, description="手填的等级（如「优」），与评分表按得分分档的等级核对", max_length=10
    )

    _order: list[str] = PrivateAttr(default_factory=list)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_order(cls, value: Any, handler: Any) -> Any:
        result = handler(value)
        if isinstance(value, dict):
            result._order = [k for k in value if k in STANDARD_PARTS or k not in cls.model_fields]
        return result

    def parts(self) -> list[tuple[str, Part]]:
        """First-level parts (standard and the template's own) in the order the author wrote them."""
        order = self._order or list(STANDARD_PARTS)
        found: list[tuple[str, Part]] = []
        for key in order:
            part = getattr(self, key, None) if key in STANDARD_PARTS else (self.model_extra or {}).get(key)
            if part is not None:
                found.append((key, part))
        return found

    def part(self, key: str) -> Part | None:
        return dict(self.parts()).get(key)

    def section(self, key: str) -> tuple[tuple[str, str], Section] | None:
        """The first section named `key` in any part, with its (part, section) path."""
        for part_key, part in self.parts():
            for section_key, section in part.sections():
                if section_key == key:
                    return (part_key, section_key), section
        return None

    @property
    def funds(self) -> Funds:
        """部门整体收支情况 wherever it stands; empty when the file gives no figures."""
        found = self.section("部门整体收支情况")
        return found[1] if found is not None and isinstance(found[1], Funds) else Funds()

    @property
    def funds_path(self) -> tuple[str, str] | None:
        found = self.section("部门整体收支情况")
        return found[0] if found is not None else None

    @property
    def staffing(self) -> Staffing | None:
        found = self.section("机构和人员")
        return found[1] if found is not None and isinstance(found[1], Staffing) else None


# What an editor shows for each kind of mapping (the classes' docstrings are for developers).
SCHEMA_DESCRIPTIONS = {
    "Report": "部门整体支出绩效自评报告：一个部门一年的自评。各部分按模板的大纲，也可加写带「标题」的部分",
    "Block": "正文中的一项：一段文字，或小标题、列表、指标表、表格、项目自评、评分、项目评分之一",
    "Formats": "数字格式：金额小数位、千位分隔符、比率小数位、得分小数位；不填用模板的设置",
    "FreeTable": "表格：表头和各行，按填写的原样印出；最后一行为“合计”时核对各列之和",
    "Funds": "部门整体收支情况：预算、执行、收入、支出构成、结转结余和上年数字；句子由模板生成，只写填写了的数字",
    "Goals": "自评表：部门整体支出的预期目标与完成情况",
    "IncomeSources": "本年收入按来源分，合计应等于本年收入",
    "Indicator": "绩效指标：指标表的一行；写了分值时参与计算自评得分",
    "IndicatorTable": "指标表：一级指标、二级指标、三级指标、年度指标值",
    "KeyIndicator": "自评表：任务的关键指标及完成情况",
    "KeyProject": "重点项目：绩效情况、预算数、执行数、绩效指标和自评得分（项目得分不计入部门得分）",
    "LastYear": "上年的数字，用于计算同比增减额和增减率",
    "Nature": "支出按性质分：基本支出 + 项目支出，或 人员经费 + 公用经费 + 项目支出",
    "Part": "一级部分（一、……）：可先写几段正文，其余的键都是二级标题",
    "ProjectEval": "项目支出绩效自评的范围；模板据此写出覆盖率句子并核对手填的覆盖率",
    "ProjectScore": "在正文中印出某个重点项目的自评得分（句子或评分表）",
    "Section": "二级小节（（一）……）：标题与正文",
    "Signoff": "落款：署名和成文日期",
    "SourceBudget": "自评表预算执行情况的一行：该资金来源的年初预算数、全年预算数、执行数（万元）",
    "SourceBudgets": "自评表：各资金来源的预算与执行（其中：一般公共预算财政拨款……）；各项合计应等于总数",
    "Sources": "支出按资金来源分，合计应等于执行数",
    "Staffing": "机构和人员：内设机构、下属单位、编制数和实有人数及其构成；句子或表格由模板生成",
    "Task": "自评表：一项主要任务",
    "TypedChanges": "手填的同比增减率（%），与计算值核对",
}


def json_schema() -> dict[str, Any]:
    schema = Report.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "部门整体支出绩效自评报告"
    schema["description"] = SCHEMA_DESCRIPTIONS["Report"]
    for name, definition in schema.get("$defs", {}).items():
        definition["description"] = SCHEMA_DESCRIPTIONS.get(name, definition.get("title", ""))
    return schema
