"""A workshop whose participants' answers a test writes question by question."""

from assess.services import answers_save, participant_join, workshop_start


def team_workshop(org, owner, answers, *, roles=("ciso", "legal", "board")):
    """A workshop with one participant per entry of `answers`: {name: {question code:
    choice code or (choice code, comment)}}. Returns (workshop, {name: participant})."""
    workshop = workshop_start(organization=org, user=owner)
    people = {}
    for (name, theirs), role in zip(answers.items(), roles, strict=False):
        person = participant_join(workshop=workshop, name=name, role=role)
        values = {}
        for code, given in theirs.items():
            choice, comment = given if isinstance(given, tuple) else (given, "")
            values[code] = ((choice,) if choice else (), comment)
        answers_save(assessment=workshop.assessment, participant=person, values=values)
        people[name] = person
    return workshop, people


# PRO-03 split three ways, THR-01 two to one, THR-02 unanimous.
SPLIT = {
    "Ann": {"PRO-03": "contained", "THR-01": "confirmed", "THR-02": "few"},
    "Ben": {"PRO-03": "customers", "THR-01": "confirmed", "THR-02": "few"},
    "Cat": {"PRO-03": "sector", "THR-01": "none", "THR-02": "few"},
}
