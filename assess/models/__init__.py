"""The app's models, one module a room, in the order they depend on each other:

- ``organizations``: organisations, membership and roles, invitations, the access log, SSO
  domains, a person's preferences;
- ``banks``: versioned question banks with their sections, questions and choices;
- ``catalogue``: the alliances a result can name;
- ``assessments``: an assessment, its stored PDFs, the organisation's latest result and the
  frozen cohorts peer comparisons are computed from;
- ``workshops``: workshops, participants and the wrong-code throttle;
- ``answers``: every answer, the assessment's own and each participant's;
- ``holdings``: the bodies an organisation belongs to, reminders about them, and the
  controls they give evidence for.
- ``operations``: what running the site keeps (outgoing e-mail, queued tasks' log context).
- ``api``: the JSON API's tokens and webhooks.
- ``ownership``: an organisation's deletion in its grace period, and archives of its data.

Import models from here (``from assess.models import Assessment``); Django finds them through
this module."""

from assess.models.answers import Answer
from assess.models.api import ApiToken, Webhook, api_token_hash
from assess.models.assessments import (
    Assessment,
    AssessmentQuerySet,
    LatestResult,
    PeerRelease,
    PeerReleaseMember,
    ReportPDF,
    new_sample_key,
    result_digest,
)
from assess.models.banks import (
    BankLockedError,
    Choice,
    DraftOnlyMixin,
    Question,
    QuestionBank,
    QuestionBankQuerySet,
    Section,
)
from assess.models.catalogue import Alliance
from assess.models.holdings import (
    CURRENCIES,
    Control,
    Holding,
    HoldingQuerySet,
    ReminderOptOut,
    ReminderSent,
)
from assess.models.operations import OutgoingMail, TaskLogContext
from assess.models.organizations import (
    SECTORS,
    SIZE_BANDS,
    AccessEvent,
    Invitation,
    Membership,
    Organization,
    OrganizationQuerySet,
    SSODomain,
    UserPreference,
    VerifiedAddress,
    invitation_token_hash,
    new_token,
    role_phrase,
)
from assess.models.ownership import DataExport, OrganizationDeletion
from assess.models.workshops import (
    Participant,
    Throttle,
    Workshop,
    WorkshopQuerySet,
    new_short_code,
)

__all__ = [
    "CURRENCIES",
    "Control",
    "Holding",
    "HoldingQuerySet",
    "ReminderOptOut",
    "ReminderSent",
    "SECTORS",
    "SIZE_BANDS",
    "AccessEvent",
    "Alliance",
    "ApiToken",
    "Answer",
    "Assessment",
    "AssessmentQuerySet",
    "BankLockedError",
    "Choice",
    "DataExport",
    "DraftOnlyMixin",
    "Invitation",
    "LatestResult",
    "PeerRelease",
    "PeerReleaseMember",
    "Membership",
    "Organization",
    "OrganizationDeletion",
    "OrganizationQuerySet",
    "OutgoingMail",
    "Participant",
    "Question",
    "QuestionBank",
    "QuestionBankQuerySet",
    "ReportPDF",
    "SSODomain",
    "Section",
    "TaskLogContext",
    "Throttle",
    "UserPreference",
    "VerifiedAddress",
    "Webhook",
    "Workshop",
    "WorkshopQuerySet",
    "api_token_hash",
    "invitation_token_hash",
    "new_sample_key",
    "new_short_code",
    "new_token",
    "result_digest",
    "role_phrase",
]
