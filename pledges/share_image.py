"""The Open Graph image for a pledge: its title and live count, drawn by the site."""

from __future__ import annotations

import hashlib
import io
import textwrap

from django.core.cache import cache
from PIL import Image, ImageDraw, ImageFont

from pledges.models import Pledge

WIDTH, HEIGHT = 1200, 630
NAVY, YELLOW, WHITE = (29, 53, 87), (255, 221, 0), (255, 255, 255)


def share_png(pledge: Pledge, count: int) -> bytes:
    key = f"share-png:{pledge.pk}:{count}:{hashlib.sha256(pledge.title.encode()).hexdigest()[:12]}"
    png = cache.get(key)
    if png is None:
        png = draw(pledge.title, count)
        cache.set(key, png, 300)
    return png


def draw(title: str, count: int) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), NAVY)
    pen = ImageDraw.Draw(image)
    pen.rectangle([0, HEIGHT - 24, WIDTH, HEIGHT], fill=YELLOW)
    pen.text((70, 60), "#PauseOfsted", font=ImageFont.load_default(size=44), fill=YELLOW)
    y = 150
    for line in textwrap.wrap(title, width=30)[:3]:
        pen.text((70, y), line, font=ImageFont.load_default(size=72), fill=WHITE)
        y += 88
    pen.text((70, y + 40), f"{count:,}", font=ImageFont.load_default(size=120), fill=YELLOW)
    label = "has signed" if count == 1 else "have signed"
    pen.text((70, y + 180), f"{label}. Add your name.", font=ImageFont.load_default(size=44), fill=WHITE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
