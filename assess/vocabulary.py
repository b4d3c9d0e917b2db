"""The words of the decision model: dimensions, outcomes, depths, owners, and the one rounding.
Shared by the rules (which write their reasons in them) and the presenter (which labels the
frozen result with them); it imports neither.

docs/decision-model.md explains each of them and why they are there."""

import math

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Ordered by track: what the operational decision reads, then what the normative one reads.
DIMENSIONS = (
    "capacity",
    "sharing_tolerance",
    "threat",
    "exposure",
    "commitment_tolerance",
    "geopolitical_exposure",
)
# The dimensions of results frozen before rules 2026.11.4, which scored one risk tolerance.
LEGACY_DIMENSIONS = ("capacity", "risk_tolerance", "exposure", "geopolitical_exposure")
OUTCOMES = ("operational", "normative", "both", "hygiene_first")
MAX_POINTS = 4

# How much engagement each outcome means: moving to a higher level is a step up (a lever to
# work on), to a lower one a worsening, to the same level a change of direction.
OUTCOME_LEVELS = {"hygiene_first": 0, "operational": 1, "normative": 1, "both": 2}


def outcome_direction(current, target):
    """ "up", "down" or "across" from the current outcome to a target outcome."""
    a, b = OUTCOME_LEVELS[current], OUTCOME_LEVELS[target]
    return "up" if b > a else "down" if b < a else "across"


# Depths of each track, shallow to deep; a gate caps a track at one of them.
OPERATIONAL_DEPTHS = ("none", "receive", "contribute")
NORMATIVE_DEPTHS = ("none", "supporter", "signatory")
TRACK_DEPTHS = {"operational": OPERATIONAL_DEPTHS, "normative": NORMATIVE_DEPTHS}

SIZE_BANDS = ("micro", "small", "medium", "large", "enterprise")
OWNERS = ("ciso", "cio", "board", "legal", "soc_lead", "communications")


def shown(score):
    """A score as every page, chart, reason and the decision itself use it: a whole number,
    halves rounded up. None stays None."""
    if score is None:
        return None
    return math.floor(score + 0.5)


def and_list(items):
    """Items as a sentence lists them: "a", "a and b", "a, b and c" (the conjunction in the
    active language)."""
    items = [str(item) for item in items]
    if len(items) < 2:
        return "".join(items)
    return _("%(list)s and %(last)s") % {"list": ", ".join(items[:-1]), "last": items[-1]}


def standing_sentence(label, below, above, group):
    """Where a score stands among a group of peers (`group`: "peers in your sector ..."), in
    tenths, without "lower than 0 of 10": a side no peer is on is said so."""
    values = {"dimension": label, "below": below, "above": above, "group": group}
    if below and above:
        return (
            _("%(dimension)s: higher than %(below)s of 10 %(group)s, lower than %(above)s of 10.")
            % values
        )
    if below:
        return _("%(dimension)s: higher than %(below)s of 10 %(group)s; none is higher.") % values
    if above:
        return _("%(dimension)s: lower than %(above)s of 10 %(group)s; none is lower.") % values
    return _("%(dimension)s: in the same band as all %(group)s.") % values


def dimension_labels():
    return {
        "capacity": _("Security capacity"),
        "sharing_tolerance": _("Appetite for sharing"),
        "threat": _("Threat pressure on your sector"),
        "exposure": _("Exposure"),
        "commitment_tolerance": _("Appetite for public commitments"),
        "geopolitical_exposure": _("Geopolitical exposure"),
        # Results frozen before rules 2026.11.4 had one risk tolerance for both kinds of risk.
        "risk_tolerance": _("Risk tolerance"),
    }


def dimension_phrases():
    """Each dimension's name as it reads inside a sentence ("against appetite for ...")."""
    return {
        "capacity": _("security capacity"),
        "sharing_tolerance": _("appetite for sharing"),
        "threat": _("threat pressure on your sector"),
        "exposure": _("exposure"),
        "commitment_tolerance": _("appetite for public commitments"),
        "geopolitical_exposure": _("geopolitical exposure"),
        "risk_tolerance": _("risk tolerance"),
    }


def dimension_questions():
    """What each dimension asks, in one line, for the map, the report and the decision model."""
    return {
        "capacity": _("Can your team take in shared threat data and act on it?"),
        "sharing_tolerance": _(
            "How much legal and reputational exposure from sharing security information "
            "will you accept?"
        ),
        "threat": _("How hard are attackers going after organisations like yours right now?"),
        "exposure": _(
            "Are you systemically important, a target of sophisticated attackers, or a way "
            "into such targets?"
        ),
        "commitment_tolerance": _(
            "How much public visibility and friction with governments will your leadership "
            "accept for a public commitment?"
        ),
        "geopolitical_exposure": _(
            "How much do governments, as customers or across borders, weigh on your business?"
        ),
    }


def outcome_labels():
    return {
        "operational": _("Operational alliances"),
        "normative": _("Normative alliances"),
        "both": _("Operational and normative alliances"),
        "hygiene_first": _("Cyber hygiene first"),
    }


def outcome_short_labels():
    """The outcomes in a word or two, where space is short (the map's legend and regions)."""
    return {
        "operational": _("Operational"),
        "normative": _("Normative"),
        "both": _("Both"),
        "hygiene_first": _("Hygiene first"),
    }


def depth_labels():
    return {
        "receive": _("receive-only member"),
        "contribute": _("contributing member"),
        "supporter": _("supporter"),
        "signatory": _("full signatory"),
    }


# Who owns a plan step, named as an organisation of that size names them. A 30-person firm
# has no CISO, SOC lead or board committee; its managing director and IT manager (or IT
# provider) carry the same duties.
_OWNERS_SMALL = {
    "ciso": gettext_lazy("Security lead (often the IT manager)"),
    "cio": gettext_lazy("IT manager or IT provider"),
    "board": gettext_lazy("Managing director"),
    "legal": gettext_lazy("External legal adviser"),
    "soc_lead": gettext_lazy("IT manager or managed security provider"),
    "communications": gettext_lazy("Managing director"),
}
_OWNERS_MID = {
    "ciso": gettext_lazy("Security lead"),
    "cio": gettext_lazy("Head of IT"),
    "board": gettext_lazy("Executive team"),
    "legal": gettext_lazy("Legal adviser"),
    "soc_lead": gettext_lazy("Security analyst or managed security provider"),
    "communications": gettext_lazy("Communications lead"),
}
_OWNERS_LARGE = {
    "ciso": gettext_lazy("CISO"),
    "cio": gettext_lazy("CIO"),
    "board": gettext_lazy("Board"),
    "legal": gettext_lazy("Legal counsel"),
    "soc_lead": gettext_lazy("SOC lead"),
    "communications": gettext_lazy("Communications"),
}


def owner_label(owner, size_band):
    table = {"micro": _OWNERS_SMALL, "small": _OWNERS_MID}.get(size_band, _OWNERS_LARGE)
    return str(table.get(owner, owner))


def threshold_labels():
    """The bank's thresholds by name: what the report's appendix and the admin's bank form
    call them."""
    return {
        "operational_capacity": _("Security capacity a receive-only member needs"),
        "operational_capacity_threatened": _(
            "The same, when threat pressure on the sector is high"
        ),
        "threat_high": _("Threat pressure counted as high"),
        "contributing_capacity": _("Security capacity needed to contribute, not only receive"),
        "contributing_sharing_tolerance": _("Appetite for sharing needed to contribute"),
        "normative_exposure": _("Exposure from which normative alliances pay off"),
        "normative_commitment_tolerance": _(
            "Appetite for public commitments a normative pledge needs"
        ),
        "signatory_exposure": _("Exposure needed for a full signatory role"),
        "signatory_commitment_tolerance": _(
            "Appetite for public commitments a full signatory role needs"
        ),
        "geopolitical_high": _("Geopolitical exposure counted as high"),
        "geopolitical_override_commitment_tolerance": _(
            "Appetite for public commitments a pledge needs under high geopolitical exposure"
        ),
        "commitment_tolerance_low": _("Appetite for public commitments counted as low"),
        "min_known_share": _(
            "Known answers a dimension that could change the outcome needs, below which the "
            "result is provisional (%)"
        ),
        "min_answered_share": _("Share of questions answered below which it is provisional (%)"),
        # Thresholds of results frozen under rules 2026.11.3.
        "contributing_risk_tolerance": _("Risk tolerance needed to contribute"),
        "normative_risk_tolerance": _("Risk tolerance needed for a normative pledge"),
        "signatory_risk_tolerance": _("Risk tolerance needed for a full signatory role"),
        "geopolitical_override_risk_tolerance": _(
            "Risk tolerance that outweighs high geopolitical exposure"
        ),
        "risk_tolerance_low": _("Risk tolerance counted as low"),
        "min_confidence": _("Confidence below which the result is provisional (%)"),
    }


def workshop_closed():
    """What a participant who saves after the workshop closed is told (page and background)."""
    return _(
        "This workshop is closed, so answers can no longer change. Everything you saved "
        "before it closed is kept."
    )


def participant_names(participants, *, show_names):
    """{participant id: the name the board and the report show}: their own, or numbered in
    the order they joined when the facilitator hides names."""
    numbered = _("Participant %(n)s")  # translated once, not once per participant
    return {
        p.id: (p.name if show_names else numbered % {"n": i})
        for i, p in enumerate(participants, start=1)
    }
