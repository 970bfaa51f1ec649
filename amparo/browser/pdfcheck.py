"""Looking at a PDF as a person would: each page rendered to an image (poppler's pdftoppm) and
its words placed (pdftotext -bbox-layout), to find text clipped at the page's edge and words
drawn over one another (a chart's labels, a table too narrow), not only that the file opens."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

DPI = 100
EDGE = 5  # pixels at DPI: ink this close to the page's edge is cut off
OVERLAP = 0.3  # two words overlap when they share this share of the smaller one's box
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"([^<]*)</word>")


def tools_present() -> bool:
    return bool(shutil.which("pdftoppm") and shutil.which("pdftotext"))


@dataclass
class Word:
    text: str
    box: tuple[float, float, float, float]


def pdf_problems(content: bytes) -> list[str]:
    """What a reader would find wrong, page by page ([] when nothing)."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(content)
        subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(path),
                        str(Path(folder) / "page")], check=True, capture_output=True, timeout=120)
        images = [Image.open(p).convert("L") for p in sorted(Path(folder).glob("page*.png"))]
        if not images:
            return ["no page could be rendered"]
        layout = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], check=True,
                                capture_output=True, timeout=120).stdout.decode()
        for number, (image, (size, words)) in enumerate(zip(images, _pages(layout)), 1):
            found = _edge_ink(image) + _placed(size, words) + _cut(image, words)
            problems += [f"page {number}: {p}" for p in found]
    return problems


def _cut(image: Image.Image, words: list[Word]) -> list[str]:
    """Words whose first or last letters were not drawn: clipped by the box they are in (a
    chart's label measured narrower than it is drawn), though the text layer still has them."""
    scale = DPI / 72
    found = []
    for word in words:
        if len(word.text) < 3:
            continue
        left, top, right, bottom = (round(v * scale) for v in word.box)
        edge = max(2, round((right - left) * 0.2))
        for side, box in (("start", (left, top, left + edge, bottom)),
                          ("end", (right - edge, top, right, bottom))):
            if box[2] > box[0] and box[3] > box[1] and image.crop(box).getextrema()[0] > 200:
                found.append(f"“{word.text}” is cut off at its {side}")
    return found


def _edge_ink(image: Image.Image) -> list[str]:
    gray = image
    width, height = gray.size
    strips = {"left": (0, 0, EDGE, height), "right": (width - EDGE, 0, width, height),
              "top": (0, 0, width, EDGE), "bottom": (0, height - EDGE, width, height)}
    return [f"ink at the {side} edge (text or a chart cut off)"
            for side, box in strips.items() if gray.crop(box).getextrema()[0] < 160]


def _pages(layout: str):
    parts = _PAGE.split(layout)[1:]
    for i in range(0, len(parts), 3):
        width, height, body = float(parts[i]), float(parts[i + 1]), parts[i + 2]
        words = [Word(m.group(5), tuple(float(m.group(k)) for k in range(1, 5)))
                 for m in _WORD.finditer(body)]
        yield (width, height), words


def _placed(size, words: list[Word]) -> list[str]:
    width, height = size
    found = [f"“{w.text}” runs off the page" for w in words
             if w.box[0] < 0 or w.box[1] < 0 or w.box[2] > width + 0.5
             or w.box[3] > height + 0.5]
    for i, a in enumerate(words):
        for b in words[i + 1:]:
            share = _shared(a.box, b.box)
            if share > OVERLAP:
                found.append(f"“{a.text}” and “{b.text}” are drawn over each other")
    return found


def _shared(a, b) -> float:
    across = min(a[2], b[2]) - max(a[0], b[0])
    down = min(a[3], b[3]) - max(a[1], b[1])
    if across <= 0 or down <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1])) or 1.0
    return across * down / smaller
