from __future__ import annotations

import os
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
# Every build in the tests runs in its own process, as `--no-daemon`: a resident worker left over
# from one test (or from an earlier checkout of the code) must not serve another.  The resident
# engine's own tests (test_resident.py) start their worker in a folder of their own.
os.environ["REPORTGEN_NO_DAEMON"] = "1"
# What layouts settled is remembered in the user's cache folder: the tests keep theirs apart.
os.environ.setdefault("XDG_CACHE_HOME", tempfile.mkdtemp(prefix="reportgen-tests-cache-"))

EXAMPLES = {
    "000": "liwan-gongan-2022",
    "001": "yuexiu-gongan-2023",
    "002": "liwan-zhengfawei-2023",
    "004": "huangpu-zhengfawei-2022",
}
# Departments unlike the seeds, written as officers elsewhere in China write them.
BEYOND_SEEDS = (
    "qingxi-nongye-2024",  # county: income first, three-way split, 同比, no budget figure
    "jiangcheng-fagai-2024",  # city: staffing, indicators scored to a grade
    "hexi-zhengfawei-2024",  # the department and one key project
    "fenglin-caizheng-2024",  # a bureau's own outline: preamble, score first
    "yunxi-zhongxue-2024",  # a school: its report and the national 自评表
)


def seed_path(number: str) -> Path:
    return next((ROOT / "seeds").glob(f"{number}_*.txt"))


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """Every narrative example built once, to DOCX and PDF."""
    from reportgen.build import build

    out = tmp_path_factory.mktemp("examples")
    result: dict[str, dict[str, Path]] = {}
    for number, name in EXAMPLES.items():
        b = build(ROOT / "examples" / f"{name}.yaml", out, ("docx", "pdf"))
        result[number] = {p.suffix[1:]: p for p in b.outputs}
    return result


@pytest.fixture(scope="session")
def every_example(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Every example, in every document it declares, to DOCX and PDF."""
    from reportgen.build import build

    out = tmp_path_factory.mktemp("all")
    paths: list[Path] = []
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        paths.extend(build(example, out).outputs)
    return paths


MINIMAL = """\
部门名称: 测试局
年度: 2023
基本情况:
  部门职能: 负责测试工作。
  部门整体收支情况:
    全年预算数: 100.00
    执行数: 95.00
综合评价分析:
  自评结论综述: 完成预期目标。
存在的主要问题: 无。
下一步改进措施: 继续努力。
"""


@pytest.fixture
def write_yaml(tmp_path: Path):
    """Write a YAML file (dedented) into a fresh folder and return its path."""

    def write(text: str, name: str = "report.yaml", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(textwrap.dedent(text).encode(encoding))
        return path

    return write


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    options.add_argument("--window-size=1500,1000")
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()
