"""A benchmark figure beside its reference and goal, written as JSON lines for run.py."""

from __future__ import annotations

import json
from pathlib import Path


def emit(path: str | None, figure: str, value: str, reference: str, goal: str, ok: bool | None) -> None:
    """Append one row to ``path`` (when given); run.py prints them as one table."""
    if not path:
        return
    with Path(path).open("a", encoding="utf-8") as f:
        f.write(json.dumps({"figure": figure, "value": value, "reference": reference, "goal": goal, "ok": ok},
                           ensure_ascii=False) + "\n")
