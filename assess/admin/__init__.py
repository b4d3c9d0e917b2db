"""The admin: question banks (a version's page, its sections and questions, each on a page of
its own), the alliance catalogue, organisations and assessments."""

from assess.admin import (  # noqa: F401 (each registers its models)
    api,
    banks,
    catalogue,
    controls,
    parts,
    sso,
)
from assess.admin.banks import QuestionBankAdmin
from assess.admin.parts import QuestionAdmin, SectionAdmin

__all__ = ["QuestionAdmin", "QuestionBankAdmin", "SectionAdmin"]
