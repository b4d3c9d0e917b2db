"""Answers + bank definition -> scores -> recommendation with reasons.

Pure: plain data classes in, plain data out, no database. The views and services turn models
into these classes (`assess.selectors.bank_definition`) and store `Result.as_dict()` as the
assessment's frozen snapshot, so a report can be re-rendered identically years later.

Its words (dimensions, outcomes, depths, owners, the one rounding every number uses) are
`assess.vocabulary`, shared with the presenter: import them from there, not through here.
The rooms, in the order the data flows (docs/decision-model.md is the model in words):
  inputs       the bank, its thresholds, gates, plans and caveats, the profile, the catalogue
  scoring      which questions apply, points per dimension, what is known
  decision     scores and gates -> outcome and depths
  uncertainty  which unknowns could change the result, and what to find out first
  explain      reasons (a table), gates, caveats, headline, the plan fitted to the company
  catalogue    matching bodies by sector, supplied sectors, country, size and answers
  sensitivity  what would change this, by plausible answer changes gates allow
  evaluate     all of the above into one snapshot
  legacy       the map of results frozen under the one-tolerance rules
"""

from assess.rules.catalogue import (
    EXCLUSIONS,
    FRICTION_FEATURES,
    eligible,
    excluded_by,
    match_alliances,
)
from assess.rules.decision import (
    Decision,
    active_gates,
    caps_of,
    decide,
    outcome_at,
)
from assess.rules.evaluate import RULES_VERSION, Result, evaluate
from assess.rules.inputs import (
    Alliance,
    Bank,
    Caveat,
    Choice,
    Condition,
    Gate,
    PlanStep,
    Profile,
    Question,
    Thresholds,
    When,
    alliance_from_document,
    bank_from_document,
    caveats_from_document,
    friction_features,
    gates_from_document,
    limit_problems,
    plans_from_document,
)
from assess.rules.maps import frozen_map
from assess.rules.scoring import (
    is_visible,
    participant_standing,
    score_totals,
    visible_questions,
)
from assess.rules.sensitivity import reworded, sensitivity

__all__ = [
    "EXCLUSIONS",
    "FRICTION_FEATURES",
    "RULES_VERSION",
    "Alliance",
    "Bank",
    "Caveat",
    "Choice",
    "Condition",
    "Decision",
    "Gate",
    "PlanStep",
    "Profile",
    "Question",
    "Result",
    "Thresholds",
    "When",
    "active_gates",
    "alliance_from_document",
    "bank_from_document",
    "caps_of",
    "caveats_from_document",
    "decide",
    "eligible",
    "excluded_by",
    "evaluate",
    "friction_features",
    "gates_from_document",
    "is_visible",
    "limit_problems",
    "match_alliances",
    "outcome_at",
    "plans_from_document",
    "score_totals",
    "sensitivity",
    "participant_standing",
    "reworded",
    "frozen_map",
    "visible_questions",
]
