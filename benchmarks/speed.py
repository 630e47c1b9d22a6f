"""Speed, as ratios measured in one run (this machine is shared and noisy), each against its target.

    python3 benchmarks/speed.py [--runs 5] [--batch 100] [--skip-typst]

- single build of seed 001 (10 pages, Word and PDF), whole process, cold (`--no-daemon`, no
  remembered layout), against Typst (the `typst` package from PyPI, installed into
  benchmarks/.venv-typst on first run) setting the same text in the same fonts; runs alternate,
  the ratio is taken pair by pair;
- the same build handed to a warm resident worker (the second of two `reportgen build` calls),
  against Typst and against the cold build; the phase table of a warm build in one process;
- `--help` against `python3 -c "import click"`; `validate` alone;
- a batch of N reports in one `reportgen build` call (all cores) against N single builds;
- a warm rebuild, as `reportgen watch` does after a one-line edit;
- the size ladder: 10, 50 and 200 pages; a table of 10 to 300 rows (Word file alone);
- peak memory of a build, and of a batch worker over the batch.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "yuexiu-gongan-2023.yaml"
TYPST_ENV = Path(__file__).resolve().parent / ".venv-typst"


def run(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak MB of a whole process."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.execve(command[0], command, env or dict(os.environ))
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return elapsed, usage.ru_maxrss / 1024


def reportgen(*args: str) -> list[str]:
    return [sys.executable, "-m", "reportgen", *args]


def paired(a: list[str], b: list[str], runs: int) -> tuple[float, float, float]:
    """Medians of A and B and of A/B, the two run in turn."""
    run(a), run(b)  # warm the caches
    times_a, times_b, ratios = [], [], []
    for _ in range(runs):
        ta, _ = run(a)
        tb, _ = run(b)
        times_a.append(ta)
        times_b.append(tb)
        ratios.append(ta / tb)
    return statistics.median(times_a), statistics.median(times_b), statistics.median(ratios)


def typst_python() -> str | None:
    """The Python of a private environment with the `typst` package, made on first use."""
    python = TYPST_ENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(TYPST_ENV)], check=True)
        done = subprocess.run([str(python), "-m", "pip", "install", "-q", "typst"], check=False)
        if done.returncode != 0:
            return None
    return str(python)


def typst_source(folder: Path) -> Path:
    """The seed's text (title, headings, paragraphs, tables) as a Typst document in the same
    fonts, sizes, margins and line pitch."""
    from reportgen.build import document_for
    from reportgen.checks.validate import check
    from reportgen.compose.tree import Heading, Label, Paragraph, Table, Title
    from reportgen.fonts.faces import resolve
    from reportgen.page import Layout

    checked = check(SEED)
    document = document_for(checked)
    layout = Layout()
    files = {role: resolve(spec).chain[0].file for role, spec in layout.fonts.items()}
    body = resolve(layout.fonts["正文"]).chain[0].family

    def esc(text: str) -> str:
        return "".join("\\" + c if c in "\\#*_`$<>@[]=~/+-\"'" else c for c in text)

    lines = [
        f'#set page(paper: "a4", margin: (top: {layout.margin_top_mm}mm, left: {layout.margin_left_mm}mm, '
        f"right: {layout.margin_right_mm}mm, bottom: {layout.margin_bottom_mm}mm), "
        "footer: context align(if calc.odd(here().page()) { right } else { left }, [— #counter(page).display() —]))",
        f'#set text(font: "{body}", size: {layout.body_pt}pt, lang: "zh")',
        f"#set par(justify: true, first-line-indent: 2em, leading: {layout.line_pitch_pt - layout.body_pt}pt)",
    ]
    for node in document.nodes:
        if isinstance(node, Title):
            lines.append("#align(center)[#text(size: 22pt)[" + " \\ ".join(esc(x) for x in node.lines) + "]]")
        elif isinstance(node, Label | Heading):
            lines.append(f'#text(weight: "bold")[{esc(node.text)}]')
        elif isinstance(node, Paragraph):
            lines.append(esc(node.text))
        elif isinstance(node, Table):
            cells = ", ".join(f"[{esc(c.text)}]" for row in node.rows for c in row)
            lines.append(f"#table(columns: {max(len(r) for r in node.rows)}, {cells})")
        lines.append("")
    source = folder / "seed.typ"
    source.write_text("\n".join(lines), encoding="utf-8")
    (folder / "fonts").mkdir(exist_ok=True)
    for path in set(files.values()):
        target = folder / "fonts" / Path(path).name
        if not target.exists():
            target.symlink_to(path)
    return source


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


def ladder_yaml(folder: Path, pages: int) -> Path:
    """About `pages` pages of body text: five paragraphs of three lines a page."""
    paragraph = "本年度各项工作按计划推进，预算执行进度总体符合要求，绩效目标基本完成，资金使用规范有效。" * 2
    count = pages * 5
    sections = [
        f"  第{k + 1}节: |\n" + "\n".join(f"    {paragraph}" for _ in range(min(40, count - 40 * k)))
        for k in range((count + 39) // 40)
    ]
    path = folder / f"pages-{pages}.yaml"
    path.write_text(MINIMAL.replace("  部门职能: 负责测试工作。", "\n".join(sections)), encoding="utf-8")
    return path


def table_yaml(folder: Path, rows: int) -> Path:
    cells = "\n".join(f"        - [项目{i}, {i * 3}.50, {i * 2}.25]" for i in range(rows))
    block = f"存在的主要问题:\n  - 表格:\n      表头: [项目, 本年, 上年]\n      行:\n{cells}"
    path = folder / f"rows-{rows}.yaml"
    path.write_text(MINIMAL.replace("存在的主要问题: 无。", block), encoding="utf-8")
    return path


def resident(folder: Path, single: list[str], typst: list[str] | None, runs: int) -> None:
    """The second of two builds: handed to the warm worker the first one started."""
    runtime = folder / "run"
    runtime.mkdir(mode=0o700)
    env = ["/usr/bin/env", f"REPORTGEN_RUNTIME_DIR={runtime}", "REPORTGEN_NO_DAEMON="]
    handed = env + reportgen("build", str(SEED), "-o", str(folder / "resident"))
    worker = subprocess.Popen(
        [*env, sys.executable, "-m", "reportgen.resident_server"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    sock = runtime / f"reportgen-{os.getuid()}" / "engine.sock"
    while not sock.exists() and worker.poll() is None:
        time.sleep(0.1)
    try:
        if typst is not None:
            a, b, ratio = paired(handed, typst, runs)
            print(
                f"second build (resident worker) seed 001: {a:.3f} s, Typst {b:.3f} s, ratio {ratio:.2f} (target ≤ 2×)"
            )
        a, b, ratio = paired(handed, single, runs)
        print(f"  against the cold build {b:.3f} s: ratio {ratio:.2f}")
    finally:
        worker.kill()


def phase_table(runs: int) -> None:
    """Where a warm build's time goes, in one process (the resident worker's, or watch's)."""
    import weasyprint

    import reportgen.build as building
    from reportgen.render.pdf import writer as pdf_writer
    from reportgen.render.word import writer as word_writer

    spent: dict[str, float] = {}

    def timed(owner: object, name: str, label: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - start

        setattr(owner, name, wrapper)

    timed(building, "check", "validate")
    timed(building, "compose", "compose")
    timed(pdf_writer, "render_html", "HTML for each layout")
    timed(weasyprint.HTML, "render", "WeasyPrint layouts")
    timed(pdf_writer, "write", "PDF writing (PDF/A, the YAML attached)")
    timed(word_writer, "render", "Word writing")
    out = Path(tempfile.mkdtemp(prefix="reportgen-phases-"))
    for remembered in (False, True):
        os.environ["REPORTGEN_NO_LAYOUT_CACHE"] = "" if remembered else "1"
        building.build(SEED, out, pdf_helper=None)
        rows: dict[str, list[float]] = {}
        wholes = []
        for _ in range(runs):
            spent.clear()
            start = time.perf_counter()
            building.build(SEED, out, pdf_helper=None)
            wholes.append(time.perf_counter() - start)
            for label, seconds in spent.items():
                rows.setdefault(label, []).append(seconds)
        kind = "layout remembered" if remembered else "first build of a text"
        print(f"warm build in one process, {kind}: {statistics.median(wholes):.3f} s")
        for label, seconds in rows.items():
            print(f"  {label:40s} {statistics.median(seconds):.3f} s")
    os.environ.pop("REPORTGEN_NO_LAYOUT_CACHE", None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--skip-typst", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="reportgen-speed-"))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {load} (the figures are medians of {args.runs} runs)")

    a, b, ratio = paired(reportgen("--help"), [sys.executable, "-c", "import click"], args.runs)
    print(f"--help: {a:.3f} s, python -c 'import click' {b:.3f} s, ratio {ratio:.2f} (target ≤ 1.3)")
    libraries = [sys.executable, "-c", "import click, pydantic, yaml"]
    a, b, ratio = paired(reportgen("validate", str(SEED)), libraries, args.runs)
    print(
        f"validate seed 001: {a:.3f} s (target ≤ 0.3); the libraries it needs imported alone "
        f"{b:.3f} s, ratio {ratio:.2f}, reportgen's own part {a - b:.3f} s"
    )

    cold = ["/usr/bin/env", "REPORTGEN_NO_LAYOUT_CACHE=1"]
    single = cold + reportgen("build", str(SEED), "-o", str(folder / "single"), "--no-daemon")
    typst: list[str] | None = None
    if not args.skip_typst and (python := typst_python()):
        source = typst_source(folder)
        output, fonts = str(folder / "seed.pdf"), str(folder / "fonts")
        compile_ = f"typst.compile({str(source)!r}, output={output!r}, font_paths=[{fonts!r}])"
        typst = [python, "-c", f"import typst; {compile_}"]
        a, b, ratio = paired(single, typst, args.runs)
        print(f"single build seed 001: {a:.3f} s, Typst {b:.3f} s, ratio {ratio:.2f} (targets ≤ 0.9 s, ≤ 3×)")
    else:
        times = [run(single)[0] for _ in range(args.runs)]
        print(f"single build seed 001: {statistics.median(times):.3f} s (target ≤ 0.9 s)")
    peak = run(single)[1]
    print(f"peak memory of a single build: {peak:.0f} MB")
    # The floor: the PDF engine alone, loaded and setting the same document from its HTML (fonts,
    # grid space and all), with nothing of reportgen's around it.
    html = folder / "engine" / f"{SEED.stem}.html"
    subprocess.run(reportgen("build", str(SEED), "-o", str(html.parent), "-f", "html"), check=True, capture_output=True)
    setting = f"weasyprint.HTML(filename={str(html)!r}).write_pdf({str(html.with_suffix('.pdf'))!r})"
    engine = [sys.executable, "-c", f"import weasyprint; {setting}"]
    a, b, ratio = paired(single, engine, args.runs)
    print(
        f"  floor: WeasyPrint alone on the same HTML {b:.3f} s; the build (both files, "
        f"validation, PDF/A) {a:.3f} s, ratio {ratio:.2f}"
    )
    resident(folder, single, typst, args.runs)
    phase_table(args.runs)

    copies = folder / "batch-in"
    copies.mkdir()
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    for i in range(args.batch):
        source = examples[i % len(examples)]
        if source.stem.startswith("fenglin"):  # its template folder is beside it
            source = examples[(i + 1) % len(examples)]
        (copies / f"{i:03d}-{source.name}").write_bytes(source.read_bytes())
    files = sorted(map(str, copies.glob("*.yaml")))
    batch_time, batch_peak = run(cold + reportgen("build", *files, "-o", str(folder / "batch"), "--no-daemon"))
    started = time.perf_counter()
    for file in files[: max(10, args.batch // 10)]:
        run(cold + reportgen("build", file, "-o", str(folder / "singles"), "--no-daemon"))
    per_single = (time.perf_counter() - started) / max(10, args.batch // 10)
    print(
        f"batch of {args.batch}: {batch_time:.1f} s ({batch_time / args.batch:.3f} s a report; target ≤ 30 s), "
        f"single builds {per_single:.3f} s each, ratio {batch_time / (per_single * args.batch):.2f}; "
        f"peak {batch_peak:.0f} MB a process (target ≤ 300)"
    )

    from reportgen.live import Rebuilder

    # as watch rebuilds after a save: one word of the text changed each time (the tables not)
    edited = folder / "edited.yaml"
    text = SEED.read_text(encoding="utf-8")
    edited.write_text(text, encoding="utf-8")
    rebuilder = Rebuilder(edited, folder / "warm", ("docx", "pdf"))
    rebuilder.rebuild()
    seconds = []
    for turn in range(args.runs):
        edited.write_text(text.replace("。", f"。第{turn}次", 1), encoding="utf-8")
        seconds.append(rebuilder.rebuild().seconds)
    rebuilder.close()
    warm = statistics.median(seconds)
    cold_build = statistics.median(run(single)[0] for _ in range(3))
    print(
        f"warm rebuild after an edit (watch): {warm:.3f} s to both files; a cold build {cold_build:.3f} s, "
        f"ratio {warm / cold_build:.2f} (target ≤ 0.2)"
    )

    for pages in (10, 50, 200):
        path = ladder_yaml(folder, pages)
        elapsed, peak = run(reportgen("build", str(path), "-o", str(folder / "ladder")))
        info = ["pdfinfo", str(folder / "ladder" / f"pages-{pages}.pdf")]
        count = subprocess.run(info, capture_output=True, text=True)
        shown = next((line.split()[-1] for line in count.stdout.splitlines() if line.startswith("Pages")), "?")
        print(f"{shown} pages: {elapsed:.2f} s, peak {peak:.0f} MB (200 pages: target ≤ 7 s)")
    for rows in (10, 100, 300):
        path = table_yaml(folder, rows)
        elapsed, _ = run(reportgen("build", str(path), "-o", str(folder / "rows"), "-f", "docx"))
        print(f"table of {rows} rows, Word file: {elapsed:.2f} s whole process (300 rows: target ≤ 0.5 s in-process)")
    from reportgen.build import build, document_for, layout_for
    from reportgen.checks.validate import check
    from reportgen.render.pdf import writer as pdf_writer
    from reportgen.render.word import writer as docx_writer

    start = time.perf_counter()
    build(table_yaml(folder, 300), folder / "rows", ("docx",))
    print(f"table of 300 rows, Word file in-process (after imports): {time.perf_counter() - start:.2f} s")
    checked = check(table_yaml(folder, 300))
    document, layout = document_for(checked), layout_for(checked)
    start = time.perf_counter()
    pads = pdf_writer.lay_out(document, layout)[1]
    laid = time.perf_counter() - start
    start = time.perf_counter()
    docx_writer.render(document, layout, folder / "rows" / "alone.docx", pads)
    print(
        f"  of which the layout that finds the space after the table {laid:.2f} s (the helper's, "
        f"on the other core in a command-line build), writing the Word file {time.perf_counter() - start:.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
