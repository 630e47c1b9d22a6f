"""The `reportgen` command.  Heavy libraries load inside the commands that need them, so that
`reportgen --help` answers at once; every failure prints a message, never a traceback."""

from __future__ import annotations

import importlib
from typing import Any

import click

from reportgen import __version__, console

# name → (module under reportgen.commands, function, the line `reportgen --help` shows).  A
# command's module is imported only when it runs (or shows its own help): `--help` lists them all
# from here without importing one.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "build": ("build", "build", "生成 Word 和 PDF；多个文件时并行生成，最后汇总"),
    "check-layout": ("check_layout", "check_layout", "按 GB/T 9704-2012 逐项检查 PDF 或 Word 文件的版式"),
    "collect": ("collect", "collect", "财政局：把各单位的 PDF 和 YAML 汇总成一个 Excel 工作簿"),
    "doctor": ("doctor", "doctor", "检查本机缺少什么（PDF 引擎、字体、LibreOffice），给出安装命令"),
    "edit": ("edit", "edit", "在浏览器中填写报告：表单、源文件、逐项提示和随手更新的页面"),
    "extract": ("extract", "extract", "取出 PDF 中附带的 YAML，与原文件逐字节相同"),
    "fonts": ("fonts", "fonts", "说明 PDF 各部分用哪种字体、字体文件在哪里"),
    "import": ("import_", "import_", "把去年的报告（Word、PDF、文字）或部门决算表变成 YAML"),
    "init": ("init", "init", "按区模板的大纲生成带注释的新 YAML，或从去年的 YAML 生成"),
    "preview": ("preview", "preview", "在浏览器中预览各页和校验信息，保存后自动刷新"),
    "schema": ("schema", "schema", "输出输入格式的 JSON Schema，供编辑器补全键名"),
    "score": ("score", "score", "按评分表计算自评得分与等级，列出每个指标的得分"),
    "templates": ("templates", "list_templates", "列出可用的模板及其来源"),
    "validate": ("validate", "validate", "检查 YAML：类型、必填项、未知键、加总与比率"),
    "watch": ("watch", "watch", "每次保存都重新校验、重新生成 Word 和 PDF"),
}


class Reportgen(click.Group):
    """The command group, made to print on any console before it parses a word."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        console.install()
        _hand_over(kwargs.get("args") if "args" in kwargs else (args[0] if args else None))
        return super().main(*args, **kwargs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute, _ = COMMANDS[name]
        command = getattr(importlib.import_module(f"reportgen.commands.{module}"), attribute)
        return command if isinstance(command, click.Command) else None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][2]) for name in self.list_commands(ctx)])


def _hand_over(given: Any) -> None:
    """A build handed to the warm worker when one listens (its exit is this process's); else a
    worker started for the next build while this one runs here."""
    import sys

    argv = list(sys.argv[1:] if given is None else given)
    if argv[:1] != ["build"] or {"--no-daemon", "-h", "--help"} & set(argv):
        return
    from reportgen import resident

    if not resident.available():
        return
    code = resident.hand_over(["reportgen", *argv])
    if code is None:
        resident.start_worker()
        return
    if code == resident.LOST:
        print("内部错误：常驻的生成进程中途退出；请加 --no-daemon 重新生成", file=sys.stderr)
        code = 3
    sys.exit(code)


@click.group(cls=Reportgen, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reportgen")
def main() -> None:
    """部门整体支出绩效自评报告：从 YAML 文件校验数字、计算比率，生成 Word 和 PDF。

    \b
    常用：
      reportgen edit 报告.yaml         在浏览器中填写（不必懂 YAML），页面随手更新
      reportgen validate 报告.yaml     检查文件，列出所有错误和警告
      reportgen build 报告.yaml        生成 报告.docx 和 报告.pdf
      reportgen build 报告.yaml -k 自评表   生成自评表
      reportgen score 报告.yaml        计算自评得分和等级
      reportgen watch 报告.yaml        每次保存都重新校验、生成
      reportgen preview 报告.yaml      在浏览器中预览，保存后自动刷新
      reportgen import 去年的报告.docx  把已有的报告（Word、PDF、文字）变成 YAML
      reportgen extract 报告.pdf       取出 PDF 中附带的 YAML
      reportgen collect 文件夹 -o 汇总.xlsx   财政局：汇总各单位的 PDF
      reportgen schema                 输出 JSON Schema（供编辑器补全键名）
      reportgen doctor                 检查本机缺少什么，给出安装命令
    """
