"""A full assessment of the default bank, every question answered and a third commented,
submitted (which queues its PDF): what the PDF, memory and burst benchmarks render. Needs
Django set up against the benchmark's own database."""

from django.contrib.auth import get_user_model
from django.core.management import call_command

from assess.banks.store import load_defaults
from assess.models import Membership, Organization, QuestionBank
from assess.selectors import bank_view
from assess.services import answers_save, assessment_copy, assessment_start, assessment_submit

COMMENT = (
    "Discussed with the security operations lead and the DPO; the answer reflects the "
    "current state, and a budget request for next year would change it. "
)


def full_assessment(org_name="Acme Financial Services plc"):
    """A submitted assessment of the default bank with every question answered and commented."""
    call_command("migrate", verbosity=0, interactive=False)
    load_defaults()
    user = get_user_model().objects.create_user(
        username="ciso@example.com", email="ciso@example.com", first_name="Dana", last_name="Reyes"
    )
    org = Organization.objects.create(
        name=org_name, sector="financial_services", size_band="large", countries=["GB", "DE", "US"]
    )
    Membership.objects.create(user=user, organization=org, role=Membership.Role.OWNER)
    assessment = assessment_start(organization=org, user=user, bank=QuestionBank.objects.current())
    view = bank_view(assessment.bank)
    for number, section in enumerate(view.sections, start=1):
        values = {}
        for i, q in enumerate(section.question_list):
            known = [c for c in q.choice_list if not c.is_unknown and c.code != "none"]
            pick = known[-1] if i % 3 else known[len(known) // 2]
            values[q.code] = ((pick.code,), COMMENT if i % 3 == 0 else "")
        answers_save(assessment=assessment, section_number=number, values=values)
    return assessment_submit(assessment=assessment, user=user), user


def submitted_copies(first, user, n):
    """`first` and n - 1 submitted copies of it: as many different reports, same answers."""
    done = [first]
    for _ in range(n - 1):
        copy = assessment_copy(assessment=first, user=user)
        done.append(assessment_submit(assessment=copy, user=user))
    return done
