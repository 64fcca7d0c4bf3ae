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


def bar_chart(title: str, rows: list[tuple[str, int]], *, width: int = 1200, bar_height: int = 44) -> bytes:
    """A horizontal bar chart of ``rows`` (label, value) as PNG bytes."""
    rows = rows or [("—", 0)]
    label_font, title_font = _font(24), _font(32)
    top, left, right = 80, 320, 140
    height = top + len(rows) * (bar_height + 16) + 30
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((20, 20), title, fill="black", font=title_font)
    biggest = max((value for _, value in rows), default=0) or 1
    span = width - left - right
    for index, (label, value) in enumerate(rows):
        y = top + index * (bar_height + 16)
        text = str(label)
        if len(text) > 12:
            text = text[:11] + "…"
        draw.text((20, y + 8), text, fill="black", font=label_font)
        length = max(int(span * value / biggest), 2 if value else 0)
        draw.rectangle([left, y, left + length, y + bar_height], fill=BAR)
        draw.text((left + length + 12, y + 8), f"{value:,}", fill="black", font=label_font)
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
