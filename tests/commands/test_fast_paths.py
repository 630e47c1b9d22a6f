"""Every fast path writes the same bytes as a plain single build: a batch on all cores, a single
build with its PDF helper, a warm rebuild in `watch`."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import MINIMAL, ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def _build(*args: str, serial: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **({"REPORTGEN_SERIAL": "1"} if serial else {})}
    return subprocess.run([sys.executable, "-m", "reportgen", "build", *args], capture_output=True, text=True, env=env)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.slow
def test_batch_single_and_warm_builds_write_the_same_bytes(tmp_path):
    serial = tmp_path / "serial"
    for example in EXAMPLES:
        assert _build(str(example), "-o", str(serial), serial=True).returncode == 0
    reference = _files(serial)
    assert len(reference) == 2 * (len(EXAMPLES) + 3)  # the sample, 枫林 and 云溪 have a 自评表 too

    batch = _build(*map(str, EXAMPLES), "-o", str(tmp_path / "batch"), "-j", "2")
    assert batch.returncode == 0, batch.stderr
    assert f"共 {len(EXAMPLES)} 个文件：生成 {len(EXAMPLES)} 个，失败 0 个" in batch.stderr
    assert _files(tmp_path / "batch") == reference

    single = _build(str(ROOT / "examples" / "yuexiu-gongan-2023.yaml"), "-o", str(tmp_path / "single"))
    assert single.returncode == 0
    assert _files(tmp_path / "single") == {k: v for k, v in reference.items() if k.startswith("yuexiu")}

    source = tmp_path / "hexi-zhengfawei-2024.yaml"
    source.write_bytes((ROOT / "examples" / source.name).read_bytes())
    warm = tmp_path / "warm"
    watch = subprocess.Popen([sys.executable, "-m", "reportgen", "watch", str(source), "-o", str(warm)], text=True)
    try:
        deadline = time.time() + 60
        while not (warm / "hexi-zhengfawei-2024.pdf").exists() and time.time() < deadline:
            time.sleep(0.1)
        first = (warm / "hexi-zhengfawei-2024.pdf").stat().st_mtime_ns
        time.sleep(1)
        source.write_bytes(source.read_bytes())  # saved again, unchanged: rebuilt warm
        while (warm / "hexi-zhengfawei-2024.pdf").stat().st_mtime_ns == first and time.time() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
    finally:
        watch.terminate()
        watch.wait(timeout=30)
    assert _files(warm) == {k: v for k, v in reference.items() if k.startswith("hexi")}


def test_one_failure_never_stops_the_others(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("部门名称: [\n", encoding="utf-8")
    result = _build(str(bad), str(ROOT / "examples" / "liwan-gongan-2022.yaml"), "-o", str(tmp_path), "-j", "2")
    assert result.returncode == 2
    assert "共 2 个文件：生成 1 个，失败 1 个" in result.stderr
    assert (tmp_path / "liwan-gongan-2022.pdf").exists() and not (tmp_path / "bad.pdf").exists()


def test_a_long_batch_replaces_its_workers_and_writes_the_same_bytes(tmp_path, monkeypatch):
    """Past RECYCLE reports a worker makes way for a fresh one (memory stays near a single
    build's); every file is still built, to the same bytes as a single build."""
    from reportgen import batch

    monkeypatch.setattr(batch, "RECYCLE", 2)
    sources = []
    for i in range(5):
        path = tmp_path / "in" / f"r{i}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(MINIMAL.replace("测试局", f"测试局{i}"), encoding="utf-8")
        sources.append(path)
    options = batch.Options(tmp_path / "batch", ("docx",), False, None, None)
    results = list(batch.in_parallel(tuple(sources), options, 2))
    assert sorted(r.source.name for r in results) == [p.name for p in sources]
    assert all(r.code == 0 for r in results), [r.messages for r in results]
    single = tmp_path / "single"
    assert _build(str(sources[3]), "-o", str(single), "-f", "docx", serial=True).returncode == 0
    assert (single / "r3.docx").read_bytes() == (tmp_path / "batch" / "r3.docx").read_bytes()


def test_a_word_file_alone_is_the_same_with_its_helper_and_needs_no_engine_without_tables(tmp_path):
    """A Word file alone: its tables are laid out by the helper while the file is built (the same
    bytes as a serial build, and as the Word file of a build with the PDF); a report without
    tables is written without loading the PDF engine at all."""
    example = str(ROOT / "examples" / "yuexiu-gongan-2023.yaml")
    assert _build(example, "-o", str(tmp_path / "both"), serial=True).returncode == 0
    assert _build(example, "-o", str(tmp_path / "serial"), "-f", "docx", serial=True).returncode == 0
    assert _build(example, "-o", str(tmp_path / "helper"), "-f", "docx").returncode == 0
    word = (tmp_path / "both" / "yuexiu-gongan-2023.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(word)) as z:
        assert 'w:before="' in z.read("word/document.xml").decode()  # the space after its tables
    assert _files(tmp_path / "serial") == _files(tmp_path / "helper") == {"yuexiu-gongan-2023.docx": word}

    plain = tmp_path / "plain.yaml"
    plain.write_text(MINIMAL, encoding="utf-8")
    env = {**os.environ, "REPORTGEN_SERIAL": "1"}
    timed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "reportgen", "build", str(plain), "-o", str(tmp_path), "-f", "docx"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert timed.returncode == 0 and (tmp_path / "plain.docx").exists()
    assert "| reportgen.render.word.writer" in timed.stderr and "weasyprint" not in timed.stderr
