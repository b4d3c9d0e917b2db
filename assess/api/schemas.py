"""What the API reads and writes, as Pydantic schemas: the OpenAPI document is made from
these. Result parts are read from the frozen snapshot (assess/snapshot.py), never from live
answers or the rules."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema


class OrganizationOut(Schema):
    code: str
    name: str
    sector: str
    size_band: str
    headquarters: str
    countries: list[str]
    require_two_factor: bool


class AssessmentSummary(Schema):
    code: str
    status: Literal["draft", "submitted"]
    kind: Literal["self", "workshop"]
    bank: str = Field(description="The bank's slug and version, e.g. default@3")
    created: datetime
    submitted_at: datetime | None
    outcome: str | None = Field(
        description="operational, normative, both or hygiene_first; null for a draft"
    )


class AssessmentPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AssessmentSummary]


class Score(Schema):
    score: float | None = Field(description="0-100; null when nothing of it is known")
    known_share: float = Field(description="Share (0-100) of the reachable points answered")
    low: float | None
    high: float | None


class AnswerBehind(Schema):
    question: str
    text: str
    answer: str
    points: float | None = None
    of: float | None = None


class Reason(Schema):
    code: str
    text: str
    dimensions: list[str]
    answers: list[AnswerBehind]


class Caveat(Schema):
    code: str
    text: str
    source: str
    as_of: str


class Body(Schema):
    slug: str
    name: str
    kind: str
    track: str
    level: str
    role: str
    summary: str
    eligibility: str
    cost: str
    commitments: str
    url: str
    facts_as_of: str
    sources: list[str]


class PlanStep(Schema):
    window: str
    action: str
    owner: str
    track: str
    status: str


class Result(Schema):
    language: str = Field(description="The language the words are in")
    rules_version: str
    headline: str
    outcome: str
    operational_depth: str
    normative_depth: str
    confidence: float
    provisional: bool
    scores: dict[str, Score]
    reasons: list[Reason]
    caveats: list[Caveat]
    bodies: list[Body]
    plan: list[PlanStep]


class AssessmentDetail(AssessmentSummary):
    result: Result | None


class AnswerIn(Schema):
    choices: list[str] = Field(description="Choice codes; an empty list clears the answer")
    comment: str = Field("", max_length=2000)


class AnswersIn(Schema):
    answers: dict[str, AnswerIn] = Field(description="By question key")


class AnswersOut(Schema):
    answers: dict[str, AnswerIn]


class AssessmentIn(Schema):
    pass


class ChoiceOut(Schema):
    code: str
    label: str
    is_unknown: bool


class ShowIf(Schema):
    question: str
    choices: list[str]


class QuestionOut(Schema):
    key: str
    text: str
    kind: Literal["single", "multi"]
    required: bool
    show_if: ShowIf | None
    choices: list[ChoiceOut]


class SectionOut(Schema):
    code: str
    title: str
    questions: list[QuestionOut]


class BankOut(Schema):
    slug: str
    version: int
    name: str
    language: str
    sections: list[SectionOut]


class WorkshopOut(Schema):
    assessment: str
    status: Literal["open", "closed"]
    participants: int
    created: datetime
    closed_at: datetime | None


class PdfPending(Schema):
    state: str = Field(description="preparing")
    slow: bool = Field(description="Still queued after two minutes: is a worker running?")


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[dict] | None = None
