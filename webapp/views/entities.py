"""Linked-data entity pages at /id/<slug>."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("entities", __name__)
