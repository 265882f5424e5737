"""Typed schema of an index definition (a *framework*).

The schema is declarative: it says what a framework file may contain. Cross-field rules that need the whole
framework (unique ids, skip-logic references, yes/partly/no options ...) live in :mod:`icc.framework.checks`.
The file format is documented in ``docs/framework-format.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Text = dict[str, str]
"""A translated text: language code → text."""


def text_in(text: Text | None, language: str, default: str = "") -> str:
    """``text`` in ``language``, else in English, else in any language it has, else ``default``."""
    if not text:
        return default
    return text.get(language) or text.get("en") or next(iter(text.values()), "") or default


QuestionType = Literal["yes_partly_no", "single", "multiple", "number", "percentage", "text"]
DataType = Literal["fact", "input", "impact"]
UnknownRule = Literal["zero", "exclude"]

QUESTION_TYPES: tuple[str, ...] = ("yes_partly_no", "single", "multiple", "number", "percentage", "text")
CHOICE_TYPES: frozenset[str] = frozenset({"yes_partly_no", "single", "multiple"})
NUMERIC_TYPES: frozenset[str] = frozenset({"number", "percentage"})
YES_PARTLY_NO: tuple[str, str, str] = ("yes", "partly", "no")
DONT_KNOW = "dont_know"
"""The answer value that means "don't know"."""


class _Model(BaseModel):
    # allow_inf_nan=False: a weight, points or bound of .nan or .inf is refused by the loader (it would make every
    # score NaN), whichever file it comes from
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=False, allow_inf_nan=False)


class Option(_Model):
    id: str
    label: Text
    points: float = 0.0
    exclusive: bool = False
    """Multiple choice only: the option is chosen alone ("None of these"); combined with another it is refused."""


class Band(_Model):
    """A scoring band of a numeric question: ``min <= value < max`` earns ``points``."""

    min: float | None = None
    max: float | None = None
    points: float


class AppliesIf(_Model):
    question: str
    in_: list[str] = Field(alias="in")


class Question(_Model):
    id: str
    type: QuestionType
    data_type: DataType = "input"
    text: Text
    help: Text | None = None
    options: list[Option] = Field(default_factory=list)
    dont_know: UnknownRule | None = None
    applies_if: AppliesIf | None = None
    required: bool | None = None
    unit: Text | None = None
    """The unit of a number, translated (``{en: inhabitants, fr: habitants}``); a plain string (``"%"``) is the
    same in every language."""
    min: float | None = None
    max: float | None = None
    bands: list[Band] = Field(default_factory=list)
    max_points: float | None = None
    recommendation: Text | None = None
    deprecated: bool = False

    @field_validator("unit", mode="before")
    @classmethod
    def _unit_in_every_language(cls, value: object) -> object:
        return {"en": value} if isinstance(value, str) else value

    def unit_in(self, language: str) -> str:
        """The unit shown after a value in ``language``: the framework's unit, ``%`` for a percentage, or ``""``."""
        return text_in(self.unit, language, "%" if self.type == "percentage" else "")

    @property
    def is_scored(self) -> bool:
        """True when the question contributes points to its area."""
        if self.data_type == "fact" or self.type == "text" or self.deprecated:
            return False
        if self.type in NUMERIC_TYPES:
            return bool(self.bands)
        return True

    @property
    def is_required(self) -> bool:
        if self.required is not None:
            return self.required
        return self.data_type != "fact"

    def maximum(self) -> float:
        """Highest points a question can earn (0 for an unscored question)."""
        if not self.is_scored:
            return 0.0
        if self.type == "multiple":
            if self.max_points is not None:
                return self.max_points
            return sum(o.points for o in self.options if o.points > 0)
        if self.type in NUMERIC_TYPES:
            return max(b.points for b in self.bands)
        return max((o.points for o in self.options), default=0.0)

    def valid_range(self) -> tuple[float | None, float | None]:
        if self.type == "percentage":
            return (0.0 if self.min is None else self.min, 100.0 if self.max is None else self.max)
        return (self.min, self.max)


class SubArea(_Model):
    id: str
    name: Text
    description: Text | None = None
    questions: list[Question] = Field(default_factory=list)


class Area(_Model):
    id: str
    name: Text
    description: Text | None = None
    core: bool = True
    weight: float = 1.0
    questions: list[Question] = Field(default_factory=list)
    subareas: list[SubArea] = Field(default_factory=list)


class PeerBand(_Model):
    """A peer-group band: ``min <= value < max`` (an open end is ``None``)."""

    id: str
    min: float | None = None
    max: float | None = None
    label: Text


class PeerGroups(_Model):
    population: list[PeerBand] = Field(default_factory=list)
    foreign_born: list[PeerBand] = Field(default_factory=list)

    def labels(self, language: str) -> dict[str, str]:
        """Every band's label in ``language``, by band id (population bands, then foreign-born bands)."""
        return {b.id: text_in(b.label, language, b.id) for b in self.population + self.foreign_born}


class Rules(_Model):
    dont_know: UnknownRule = "zero"
    unanswered: UnknownRule = "zero"
    lens_aggregation: Literal["mean"] = "mean"
    lens_in_index: Literal["once", "per_subarea"] = "once"
    """``once``: the lens composite enters the index as one area (2019); ``per_subarea``: each sub-area enters
    as an indicator of its own with the lens area's weight (2011: 14 weighted indicators)."""
    min_coverage: float = Field(default=0.5, ge=0.0, le=1.0)
    """Least share (0–1) of an area's or sub-area's asked questions that must count for it to be scored — under an
    ``exclude`` rule a "don't know" or blank answer does not count; under ``zero`` every asked question counts, so
    the rule never bites. A composite (the lens, an index) needs the same share of its parts' weight scored."""


@dataclass(frozen=True)
class Located:
    """A question with where it sits: its area and (for a lens area) its sub-area."""

    question: Question
    area: str | None  # None for facts
    subarea: str | None


class Framework(_Model):
    id: str
    version: str
    title: Text
    description: Text | None = None
    languages: list[str] = Field(default_factory=lambda: ["en", "fr"])
    rules: Rules = Field(default_factory=Rules)
    peer_groups: PeerGroups = Field(default_factory=PeerGroups)
    facts: list[Question] = Field(default_factory=list)
    areas: list[Area] = Field(default_factory=list)
    index_names: dict[Literal["index_core", "index_extended"], Text] = Field(default_factory=dict)
    """What the core and the extended index are called on pages, charts and downloads, translated."""

    def located_questions(self) -> Iterator[Located]:
        """Every question (facts first, then areas in order) with its area and sub-area."""
        for q in self.facts:
            yield Located(q, None, None)
        for area in self.areas:
            for q in area.questions:
                yield Located(q, area.id, None)
            for sub in area.subareas:
                for q in sub.questions:
                    yield Located(q, area.id, sub.id)

    def questions(self) -> list[Question]:
        return [loc.question for loc in self.located_questions()]

    def question(self, question_id: str) -> Question:
        for q in self.questions():
            if q.id == question_id:
                return q
        raise KeyError(f"framework {self.id} has no question {question_id!r}")

    def area(self, area_id: str) -> Area:
        for a in self.areas:
            if a.id == area_id:
                return a
        raise KeyError(f"framework {self.id} has no area {area_id!r}")

    def scored_questions(self) -> list[Located]:
        return [loc for loc in self.located_questions() if loc.question.is_scored]

    def dont_know_rule(self, q: Question) -> str:
        return q.dont_know or self.rules.dont_know

    def item_names(self, language: str = "en") -> dict[str, str]:
        """Names of every area and sub-area, plus the index levels, in one language."""
        names: dict[str, str] = {item: text_in(name, language, item) for item, name in self.index_names.items()}
        for a in self.areas:
            names[a.id] = text_in(a.name, language, a.id)
            for s in a.subareas:
                names[s.id] = text_in(s.name, language, s.id)
        return names


NON_SCORING_FIELDS: frozenset[str] = frozenset({"exclusive", "unit", "index_names"})
"""Fields that decide only which answers are accepted or what things are called, never a score
(``Option.exclusive``, ``Question.unit``, ``Framework.index_names``)."""


def _scoring_part(data: object) -> object:
    if isinstance(data, dict):
        return {k: _scoring_part(v) for k, v in data.items() if k not in NON_SCORING_FIELDS}
    if isinstance(data, list):
        return [_scoring_part(v) for v in data]
    return data


def same_scores(a: Framework, b: Framework) -> bool:
    """True when two definitions differ at most in :data:`NON_SCORING_FIELDS`, so every score they give is the same.

    A stored framework version is never rewritten where that would change a score; one that only gains an answer
    check (an option marked ``exclusive``) may be refreshed in place.

    >>> from icc.framework import load_shipped
    >>> fw = load_shipped("icc-2019")
    >>> older = fw.model_copy(deep=True)
    >>> older.question("commitment-visibility").options[-1].exclusive = False
    >>> same_scores(older, fw), older == fw
    (True, False)
    """
    return _scoring_part(a.model_dump(mode="json")) == _scoring_part(b.model_dump(mode="json"))


class QuestionMap(_Model):
    from_: str = Field(alias="from")
    to: str
    options: dict[str, str] = Field(default_factory=dict)


class FrameworkMapping(_Model):
    """Which questions of one framework measure the same thing as questions of another."""

    from_: str = Field(alias="from")
    to: str
    questions: list[QuestionMap] = Field(default_factory=list)
