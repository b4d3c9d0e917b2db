"""Who may reach what, each rule written once.

The rule for an organisation's data (members only) is the querysets' `for_user(user)`; the
helpers here load an object through it, with the `select_related` its pages need, and raise
Http404 for anyone else, so that no view forgets either half. A participant's link (it
carries a token) and the question bank preview's permission are checked here too. View
modules import these helpers rather than each other."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from assess.models import Assessment, Membership, Organization, Participant, QuestionBank, Workshop
from assess.operations.logs import bind_organization


class TwoFactorRequired(Exception):
    """A member of an organisation that requires two-factor authentication, signed in
    without it (TwoFactorPolicyMiddleware sends them to set it up)."""

    def __init__(self, organization):
        super().__init__(organization)
        self.organization = organization


def require_two_factor_policy(request, org):
    if org.require_two_factor and not request.user.is_verified():
        raise TwoFactorRequired(org)


def require_two_factor_policies(request):
    """For a page that shows several of the user's organisations at once (the portfolio):
    every one of them that requires two-factor authentication must have it."""
    if request.user.is_verified():
        return
    org = (
        Organization.objects.for_user(request.user)
        .filter(require_two_factor=True)
        .order_by("name")
        .first()
    )
    if org is not None:
        raise TwoFactorRequired(org)


def get_org_for_user(request, code, *, two_factor_policy=True):
    """The organisation if the user belongs to it; 404 for anyone else. Only leaving it
    (`two_factor_policy=False`) is open to a member who has not met its two-factor policy."""
    try:
        org = Organization.objects.for_user(request.user).get(code=code)
    except (Organization.DoesNotExist, ValidationError, ValueError) as e:
        raise Http404 from e
    bind_organization(org.pk)
    if two_factor_policy:
        require_two_factor_policy(request, org)
    return org


def get_assessment_for_user(request, code, *, with_result=True):
    """The assessment if the user belongs to its organisation; 404 for anyone else.
    `with_result=False` leaves the frozen result unloaded (`without_result`)."""
    assessments = Assessment.objects.for_user(request.user)
    if not with_result:
        assessments = assessments.without_result()
    try:
        assessment = assessments.select_related("organization", "bank").get(code=code)
    except (Assessment.DoesNotExist, ValidationError, ValueError) as e:
        raise Http404 from e
    bind_organization(assessment.organization_id)
    require_two_factor_policy(request, assessment.organization)
    return assessment


def get_workshop_for_user(request, code):
    """The workshop of an assessment the user's organisation owns; 404 for anyone else."""
    try:
        workshop = (
            Workshop.objects.for_user(request.user)
            .select_related("assessment__organization", "assessment__bank")
            .get(assessment__code=code)
        )
    except (Workshop.DoesNotExist, ValidationError, ValueError) as e:
        raise Http404 from e
    bind_organization(workshop.assessment.organization_id)
    require_two_factor_policy(request, workshop.assessment.organization)
    return workshop


def is_member(user, org):
    return Organization.objects.for_user(user).filter(pk=org.pk).exists()


def is_owner(user, org):
    return (
        user.is_authenticated
        and Membership.objects.filter(
            organization=org, user=user, role=Membership.Role.OWNER
        ).exists()
    )


def require_owner(request, org):
    """403 for a member who is not one of the organisation's owners."""
    if not is_owner(request.user, org):
        raise PermissionDenied


def get_participant(token):
    """The workshop participant whose link carries this token; 404 for any other token."""
    participant = (
        Participant.objects.select_related(
            "workshop__assessment__organization", "workshop__assessment__bank"
        )
        .filter(token=token, workshop__assessment__organization__deletion__isnull=True)
        .first()
    )
    if participant is None:
        raise Http404
    bind_organization(participant.workshop.assessment.organization_id)
    return participant


def get_bank_for_editor(request, pk):
    """The bank version if the user may see banks in admin; 403 for other staff."""
    if not request.user.has_perm("assess.view_questionbank"):
        raise PermissionDenied
    try:
        return QuestionBank.objects.get(pk=pk)
    except QuestionBank.DoesNotExist as e:
        raise Http404 from e
