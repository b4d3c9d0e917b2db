"""The words of the decision model: dimensions, outcomes, depths, owners, and the one rounding.

docs/decision-model.md explains each of them and why they are there."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

# Bump when a change in this package could give a different result for the same answers.
RULES_VERSION = "2026.11.4"

# Ordered by track: what the operational decision reads, then what the normative one reads.
DIMENSIONS = (
    "capacity",
    "sharing_tolerance",
    "threat",
    "exposure",
    "commitment_tolerance",
    "geopolitical_exposure",
)
OUTCOMES = ("operational", "normative", "both", "hygiene_first")
MAX_POINTS = 4

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
    return int(Decimal(repr(float(score))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


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


def depth_labels():
    return {
        "receive": _("receive-only member"),
        "contribute": _("contributing member"),
        "supporter": _("supporter"),
        "signatory": _("full signatory"),
    }


def owner_label(owner, size_band):
    """Who owns a plan step, named as an organisation of that size would name them.

    A 30-person firm has no CISO, SOC lead or board committee; its managing director and
    IT manager (or IT provider) carry the same duties."""
    small = {
        "ciso": _("Security lead (often the IT manager)"),
        "cio": _("IT manager or IT provider"),
        "board": _("Managing director"),
        "legal": _("External legal adviser"),
        "soc_lead": _("IT manager or managed security provider"),
        "communications": _("Managing director"),
    }
    mid = {
        "ciso": _("Security lead"),
        "cio": _("Head of IT"),
        "board": _("Executive team"),
        "legal": _("Legal adviser"),
        "soc_lead": _("Security analyst or managed security provider"),
        "communications": _("Communications lead"),
    }
    large = {
        "ciso": _("CISO"),
        "cio": _("CIO"),
        "board": _("Board"),
        "legal": _("Legal counsel"),
        "soc_lead": _("SOC lead"),
        "communications": _("Communications"),
    }
    table = {"micro": small, "small": mid}.get(size_band, large)
    return table.get(owner, owner)
