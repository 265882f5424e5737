"""Problems found in a framework file, reported as file / sheet / row / field / reason."""

from __future__ import annotations

from dataclasses import dataclass

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a framework file.

    ``row`` is the line number in a YAML file or the 1-based row in an XLSX sheet; ``field`` the dotted path in
    the definition (YAML) or the column header (XLSX).
    """

    file: str
    sheet: str | None
    row: int | None
    field: str
    reason: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}" if self.sheet else f"line {self.row}")
        parts.append(self.field or "(file)")
        return " / ".join(parts) + f": {self.reason}"


class FrameworkError(ValueError):
    """A framework file has problems; nothing was loaded."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in framework file, nothing loaded:\n{lines}")


def dotted(path: Path) -> str:
    """``("areas", 2, "questions", 0, "id")`` → ``"areas[2].questions[0].id"``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out
