"""Simple bar charts drawn with Pillow (matplotlib is not installed), with Chinese labels."""

from functools import cache
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
BAR = (31, 95, 166)


@cache
def _font(size: int):
    try:
        return ImageFont.truetype(str(CJK_FONT), size)
    except OSError:  # fonts-noto-cjk absent: Pillow's default font (no Chinese glyphs, but no failure)
        return ImageFont.load_default()


def wrap(text: str, font, width: int) -> list[str]:
    """``text`` as lines no wider than ``width`` pixels, broken between characters: a label is never cut off."""
    lines, line = [], ""
    for ch in text:
        if line and font.getlength(line + ch) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines or [""]


def bar_chart(title: str, rows: list[tuple[str, int]], *, width: int = 1200, bar_height: int = 44) -> bytes:
    """A horizontal bar chart of ``rows`` (label, value) as PNG bytes. The label column is as wide as the
    longest label (at most 480 px); a longer label wraps onto more lines, its row growing to hold them."""
    rows = rows or [("—", 0)]
    label_font, title_font = _font(24), _font(32)
    line_height = 30
    label_width = min(max(int(label_font.getlength(str(label))) for label, _ in rows) + 10, 480)
    labels = [wrap(str(label), label_font, label_width) for label, _ in rows]
    heights = [max(bar_height, line_height * len(lines)) + 16 for lines in labels]
    top, left, right = 80, 20 + label_width + 20, 160
    height = top + sum(heights) + 30
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((20, 20), title, fill="black", font=title_font)
    biggest = max((value for _, value in rows), default=0) or 1
    span = width - left - right
    y = top
    for (_label, value), lines, row_height in zip(rows, labels, heights, strict=True):
        for n, line in enumerate(lines):
            draw.text((20, y + 8 + n * line_height), line, fill="black", font=label_font)
        length = max(int(span * value / biggest), 2 if value else 0)
        draw.rectangle([left, y, left + length, y + bar_height], fill=BAR)
        draw.text((left + length + 12, y + 8), f"{value:,}", fill="black", font=label_font)
        y += row_height
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
