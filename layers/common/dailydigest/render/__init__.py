"""Rendering: a digest becomes a Jekyll post (and back, for checks) plus its infographic."""

from dailydigest.render.image import render_image
from dailydigest.render.parse import parse_post
from dailydigest.render.post import render_post

__all__ = ["parse_post", "render_image", "render_post"]
