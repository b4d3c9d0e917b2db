"""The admin: question banks (a version's page, its sections and questions, each on a page of
its own), the alliance catalogue, organisations and assessments."""

from assess.admin import api, banks, catalogue, parts, sso  # noqa: F401 (each registers its models)
from assess.admin.banks import QuestionBankAdmin
from assess.admin.parts import QuestionAdmin, SectionAdmin

__all__ = ["QuestionAdmin", "QuestionBankAdmin", "SectionAdmin"]
