"""The `reportgen` command.  Heavy libraries load inside the commands that need them, so that
`reportgen --help` answers at once; every failure prints a message, never a traceback."""

from __future__ import annotations

from typing import Any

import click

from reportgen import __version__, console
from reportgen.commands import (
    build,
    check_layout,
    collect,
    doctor,
    extract,
    fonts,
    import_,
    init,
    preview,
    schema,
    score,
    templates,
    validate,
    watch,
)


class Reportgen(click.Group):
    """The command group, made to print on any console before it parses a word."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        console.install()
        return super().main(*args, **kwargs)


@click.group(cls=Reportgen, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reportgen")
def main() -> None:
    """部门整体支出绩效自评报告：从 YAML 文件校验数字、计算比率，生成 Word 和 PDF。

    \b
    常用：
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


for command in (
    validate.validate,
    build.build,
    score.score,
    init.init,
    templates.list_templates,
    check_layout.check_layout,
    fonts.fonts,
    schema.schema,
    watch.watch,
    preview.preview,
    extract.extract,
    collect.collect,
    import_.import_,
    doctor.doctor,
):
    main.add_command(command)
