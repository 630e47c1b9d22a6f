"""The PDF's streams are compressed at zlib's fastest level (render/pdf/engine.py): a third of the
time of writing a PDF went into pydyf's level 9 for 4 % of the file's size."""

from __future__ import annotations

import re

from conftest import MINIMAL

from reportgen.build import build


def test_pdf_streams_are_written_at_the_fast_level(write_yaml, tmp_path):
    from reportgen.render.pdf import engine

    path = write_yaml(MINIMAL)
    built = build(path, tmp_path / "out", ("pdf",))
    data = built.outputs[0].read_bytes()
    headers = [m.group(1) for m in re.finditer(rb"/FlateDecode[^>]*>>\s*stream\r?\n(..)", data, re.S)]
    assert len(headers) > 5 and engine.compression_tuned()
    assert all(h == b"\x78\x01" for h in headers), {h for h in headers}  # 78 01: level 1 (78 DA is 9)
