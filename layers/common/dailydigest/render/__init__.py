"""Rendering: a digest becomes a Jekyll post (and back, for checks) plus its infographic.

Submodules are imported where used, so loading one part never loads the others (Jinja, Pillow).
"""
