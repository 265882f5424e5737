"""The questionnaire's pages ("sections"): the facts, each area without sub-areas, and each lens sub-area."""

from __future__ import annotations

from dataclasses import dataclass

from icc.framework import Framework, Question
from icc.framework.schema import text_in


@dataclass(frozen=True)
class Section:
    id: str
    area: str  # top-level area id ("facts" for the facts)
    name: dict[str, str]
    questions: tuple[Question, ...]

    def title(self, language: str) -> str:
        return text_in(self.name, language, self.id)


FACTS_NAME = {"en": "Facts about the city", "fr": "Données sur la ville"}


def sections(fw: Framework) -> list[Section]:
    """Facts first, then the areas in order, a lens area split into its sub-areas."""
    out = []
    if fw.facts:
        out.append(Section("facts", "facts", FACTS_NAME, tuple(q for q in fw.facts if not q.deprecated)))
    for area in fw.areas:
        if area.subareas:
            for sub in area.subareas:
                out.append(Section(sub.id, area.id, sub.name, tuple(q for q in sub.questions if not q.deprecated)))
        else:
            out.append(Section(area.id, area.id, area.name, tuple(q for q in area.questions if not q.deprecated)))
    return out


def section_of(fw: Framework) -> dict[str, Section]:
    """Question id → the section it is on."""
    return {q.id: s for s in sections(fw) for q in s.questions}
