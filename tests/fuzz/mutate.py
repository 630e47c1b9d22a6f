"""A seeded mutator over the examples: the broken files an officer (or a corrupted disk) can hand
the tool.  The same seed gives the same files, so a failure found once is found again."""

from __future__ import annotations

import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

# Characters and pieces that YAML, the format or the fonts treat specially.
PIECES = [
    ":",
    "：",
    "-",
    "- ",
    "#",
    "&a",
    "*a",
    "!",
    "!!python/object:os.system",
    "|",
    ">",
    "%",
    "{",
    "}",
    "[",
    "]",
    "? ",
    "---",
    "...",
    "<<: {}",
    "\t",
    "\\",
    '"',
    "'",
    "\x0f",
    "\x00",
    "\ufffe",
    "\\U00110000",
    "\\uDFFF",
    "😀",
    "漖",
    "\u200b",
    "\u202e",
    "yes",
    "no",
    "~",
    "null",
    "2023-01-05",
    "010",
    "0x1F",
    "1:20",
    "1_000",
    "1.0e+308",
    "1.0e+999999",
    "1.0e+1000000",  # beyond Decimal's own exponent: once an overflow in abs()
    "-1.0e+1000000",
    "1.0e-1000000",
    "0.0e-1000000",
    "1.0e+999999999999999999",
    "1e+1000000",  # no dot: text to YAML
    "9" * 400,
    "0x" + "f" * 300,
    "-1",
    "0",
    "0.0000001",
    "99999999999999999999",
    ".inf",
    ".nan",
    "NaN",
    "%",
    "99.77%",
    "0.9977",
    "≥",
    "≤",
    "=",
    "万元",
    "，",
    "（一）",
    "(一)",
    "一、",
    "1.",
    "　",
    "{金额小数位: 30}",
    "[]",
    "{}",
    "''",
    '""',
    "标题: []",
    "模板: /etc",
    "模板: ../../../../",
    "模板: " + "x" * 300,
    "A" * 6000,
    "中" * 100,
]


def _line_ops(lines: list[str], rng: random.Random) -> list[str]:
    if not lines:
        return lines
    i = rng.randrange(len(lines))
    op = rng.randrange(8)
    if op == 0:
        del lines[i]
    elif op == 1:
        lines.insert(i, lines[rng.randrange(len(lines))])
    elif op == 2:
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif op == 3:
        lines[i] = " " * rng.choice([1, 2, 3]) + lines[i]
    elif op == 4:
        lines[i] = lines[i].lstrip(" ")
    elif op == 5 and ": " in lines[i]:
        key, _, _ = lines[i].partition(": ")
        lines[i] = f"{key}: {rng.choice(PIECES)}"
    elif op == 6:
        lines[i] = lines[i] + rng.choice(PIECES)
    else:
        lines.insert(i, " " * rng.choice([0, 2, 4]) + rng.choice(PIECES))
    return lines


def _char_ops(text: str, rng: random.Random) -> str:
    if not text:
        return text
    i = rng.randrange(len(text))
    op = rng.randrange(4)
    if op == 0:
        return text[:i] + rng.choice(PIECES) + text[i:]
    if op == 1:
        return text[:i] + text[i + rng.randrange(1, 5) :]
    if op == 2:
        return text[:i]  # cut short
    return text[:i] + chr(rng.randrange(0x20, 0x2FFFF)) + text[i + 1 :]


def mutant(seed: int) -> tuple[str, str]:
    """(example name, mutated text) for a seed."""
    rng = random.Random(seed)
    source = rng.choice(EXAMPLES)
    text = source.read_text(encoding="utf-8")
    for _ in range(rng.choice([1, 1, 2, 3, 5])):
        text = rng.choice([_by_lines, _by_lines, _by_lines, _char_ops, _char_ops])(text, rng)
    return source.stem, text


def _by_lines(text: str, rng: random.Random) -> str:
    return "\n".join(_line_ops(text.splitlines(), rng)) + "\n"


def write(seed: int, folder: Path) -> Path:
    """The mutant of `seed` as a file beside a copy of any template folder its example names."""
    name, text = mutant(seed)
    path = folder / f"{name}-{seed}.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    template = ROOT / "examples" / "枫林县财政局模板"
    copy = folder / template.name
    if not copy.exists():
        copy.mkdir()
        (copy / "settings.yaml").write_text((template / "settings.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return path


def validate_case(seed: int, folder: Path) -> tuple[str, float]:
    """Validate one mutant as `reportgen validate` does: (outcome, seconds).  Anything raised but
    the tool's own errors is a bug and propagates; every message must be printable."""
    import time

    from reportgen.checks.validate import check
    from reportgen.errors import InputError

    path = write(seed, folder)
    start = time.perf_counter()
    try:
        checked = check(path)
    except InputError as exc:
        exc.message.encode("utf-8")
        return "unreadable", time.perf_counter() - start
    for d in checked.diagnostics:
        d.format().encode("utf-8")
    outcome = "errors" if checked.errors else "warnings" if checked.warnings else "clean"
    return outcome, time.perf_counter() - start


def build_case(seed: int, folder: Path) -> tuple[str, float]:
    """Build one mutant as `reportgen build` does: (outcome, seconds).  A refused build leaves no
    file behind."""
    import time

    from reportgen.build import build
    from reportgen.errors import ReportgenError

    path = write(seed, folder)
    out = folder / f"out-{seed}"
    start = time.perf_counter()
    try:
        build(path, out, ("docx", "pdf"))
    except ReportgenError as exc:
        exc.message.encode("utf-8")
        left = [p.name for p in out.iterdir()] if out.exists() else []
        assert left == [], f"seed {seed}: a refused build left {left}"
        return "refused", time.perf_counter() - start
    return "built", time.perf_counter() - start
