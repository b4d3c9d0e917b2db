"""The decision in words: reasons (a table: which rule fired, with the answers that drove
it), gates, caveats, the headline and the plan fitted to the organisation.

Every number a reason quotes is the shown score (`vocabulary.shown`), the same number the
charts, the tables and the decision use."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assess.rules.scoring import answer_text, chosen
from assess.vocabulary import TRACK_DEPTHS, and_list, dimension_phrases, owner_label, shown


def drivers(dims, visible, answers, *, high, limit=3):
    """The answers that moved the dimensions `dims` most: up (high) or held them down."""
    rows = []
    for q in visible:
        picked = chosen(q, answers)
        if not picked or any(c.is_unknown for c in picked):
            continue
        for dim in dims:
            reach = q.max_points(dim)
            if reach <= 0:
                continue
            earned = min(reach, sum(c.points.get(dim, 0) for c in picked))
            impact = q.weight * (earned if high else reach - earned) / reach
            if impact > 0:
                rows.append((impact, q, picked, earned, reach, dim))
            break  # a question is listed once, under the first of `dims` it scores on
    rows.sort(key=lambda row: (-row[0], row[1].code))
    return [
        {
            "question": q.code,
            "text": q.text,
            "answer": answer_text(picked),
            "points": earned,
            "of": reach,
            "dimension": dim,
        }
        for _impact, q, picked, earned, reach, dim in rows[:limit]
    ]


@dataclass(frozen=True)
class Facts:
    """What the reason table reads: the shown scores, the cut-offs that applied, the
    decision and the gates that hold."""

    s: dict  # dimension -> shown score or None
    t: object
    decision: object
    threat_high: bool
    geo_high: bool

    def values(self):
        t, s = self.t, self.s
        return {
            "cap": _num(s["capacity"]),
            "share": _num(s["sharing_tolerance"]),
            "threat": _num(s["threat"]),
            "exp": _num(s["exposure"]),
            "commit": _num(s["commitment_tolerance"]),
            "geo": _num(s["geopolitical_exposure"]),
            "op_cut": _num(t.operational_cut(s["threat"])),
            "op_cut_base": _num(t.operational_capacity),
            "threat_cut": _num(t.threat_high),
            "contrib_cap": _num(t.contributing_capacity),
            "contrib_share": _num(t.contributing_sharing_tolerance),
            "norm_exp": _num(t.normative_exposure),
            "norm_cut": _num(t.normative_cut(s["geopolitical_exposure"])),
            "norm_base": _num(t.normative_commitment_tolerance),
            "geo_cut": _num(t.geopolitical_high),
            "sign_exp": _num(t.signatory_exposure),
            "sign_commit": _num(t.signatory_commitment_tolerance),
        }


def _num(x):
    return _("unknown") if x is None else str(shown(x))


@dataclass(frozen=True)
class ReasonRule:
    code: str
    applies: object  # Facts -> bool
    text: object  # a lazy translation with %(name)s from Facts.values()
    dims: tuple[str, ...]
    high: bool


# Reasons speak of the result as given, after the gates (`_op`, `_norm`); where a gate cut a
# track short, the gate's own reason says why, and no reason argues for the deeper depth the
# scores alone would have given (`_op_scores`, `_norm_scores`).
def _op(f):
    return f.decision.operational_depth


def _norm(f):
    return f.decision.normative_depth


def _op_scores(f):
    return f.decision.operational_by_scores


def _norm_scores(f):
    return f.decision.normative_by_scores


def _cap_known(f):
    return f.s["capacity"] is not None


def _exp_known(f):
    return f.s["exposure"] is not None


REASONS = (
    # --- Operational track: capacity decides whether, appetite for sharing how deep.
    ReasonRule(
        "capacity_sufficient",
        lambda f: _op(f) and f.s["capacity"] >= f.t.operational_capacity,
        gettext_lazy(
            "Security capacity scores %(cap)s, at or above the %(op_cut_base)s a team needs to "
            "triage shared alerts and act on them, so receiving intelligence from your sector "
            "and country would pay off."
        ),
        ("capacity",),
        True,
    ),
    ReasonRule(
        "capacity_sufficient_under_threat",
        lambda f: _op(f) and f.s["capacity"] < f.t.operational_capacity,
        gettext_lazy(
            "Security capacity scores %(cap)s, under the %(op_cut_base)s usually needed, but "
            "threat pressure on your sector is high (%(threat)s; high from %(threat_cut)s), "
            "which lowers the bar to %(op_cut)s: warnings about campaigns aimed at "
            "organisations like yours are the easiest intelligence to act on, so receiving "
            "them pays off."
        ),
        ("threat", "capacity"),
        True,
    ),
    ReasonRule(
        "threat_high",
        lambda f: _op(f) and f.threat_high and f.s["capacity"] >= f.t.operational_capacity,
        gettext_lazy(
            "Threat pressure on your sector is high (%(threat)s; high from %(threat_cut)s), so "
            "the capacity needed to receive is %(op_cut)s rather than %(op_cut_base)s, and early "
            "warning from peers facing the same campaigns is what a sharing community gives "
            "first."
        ),
        ("threat",),
        True,
    ),
    ReasonRule(
        "can_contribute",
        lambda f: _op(f) == "contribute",
        gettext_lazy(
            "Capacity (%(cap)s) and appetite for sharing (%(share)s) both reach what "
            "contributing takes (%(contrib_cap)s and %(contrib_share)s): give intelligence "
            "back, not only receive it."
        ),
        ("sharing_tolerance", "capacity"),
        True,
    ),
    ReasonRule(
        "receive_only",
        lambda f: _op(f) == "receive" and _op_scores(f) == "receive",
        gettext_lazy(
            "Start as a receive-only member: contributing takes capacity of %(contrib_cap)s "
            "(you have %(cap)s) and appetite for sharing of %(contrib_share)s (you have "
            "%(share)s)."
        ),
        ("sharing_tolerance", "capacity"),
        False,
    ),
    ReasonRule(
        "capacity_unknown",
        lambda f: not _cap_known(f),
        gettext_lazy(
            "Security capacity is unknown: no question on it has a known answer. Operational "
            "sharing is not recommended until you can say what your team can take in and act on."
        ),
        ("capacity",),
        False,
    ),
    ReasonRule(
        "capacity_short",
        lambda f: _cap_known(f) and not _op_scores(f),
        gettext_lazy(
            "Security capacity scores %(cap)s, under the %(op_cut)s a team needs to triage "
            "shared alerts and act on them: shared feeds would go unused for now. Free one-way "
            "sources, such as your national CERT's advisories, are the right start."
        ),
        ("capacity",),
        False,
    ),
    # --- Normative track: exposure decides whether a pledge pays off, appetite for public
    # commitments whether leadership can carry it (more of it under high geopolitics).
    ReasonRule(
        "normative_fit",
        lambda f: bool(_norm(f)) and not f.geo_high,
        gettext_lazy(
            "Exposure scores %(exp)s (normative alliances pay off from %(norm_exp)s) and "
            "appetite for public commitments %(commit)s (a public pledge needs %(norm_cut)s): "
            "you are the kind of target or systemic player that public norms protect, and "
            "your leadership can carry the visibility."
        ),
        ("exposure", "commitment_tolerance"),
        True,
    ),
    ReasonRule(
        "normative_fit_despite_geopolitics",
        lambda f: bool(_norm(f)) and f.geo_high and not f.decision.broad_only,
        gettext_lazy(
            "Exposure scores %(exp)s (normative alliances pay off from %(norm_exp)s). "
            "Geopolitical exposure is high (%(geo)s; high from %(geo_cut)s), which raises the "
            "appetite for public commitments a pledge needs from %(norm_base)s to "
            "%(norm_cut)s; yours is %(commit)s, enough to carry it."
        ),
        ("exposure", "commitment_tolerance"),
        True,
    ),
    ReasonRule(
        "signatory",
        lambda f: _norm(f) == "signatory",
        gettext_lazy(
            "Exposure (%(exp)s) and appetite for public commitments (%(commit)s) reach "
            "%(sign_exp)s and %(sign_commit)s: a full signatory role with yearly public "
            "reporting fits."
        ),
        ("exposure", "commitment_tolerance"),
        True,
    ),
    ReasonRule(
        "supporter",
        lambda f: _norm(f) == "supporter" and _norm_scores(f) == "supporter",
        gettext_lazy(
            "A low-commitment supporter role fits better than a full signatory one, which "
            "takes exposure of %(sign_exp)s (you have %(exp)s) and appetite for public "
            "commitments of %(sign_commit)s (you have %(commit)s)."
        ),
        ("exposure", "commitment_tolerance"),
        False,
    ),
    ReasonRule(
        "broad_statement_only",
        lambda f: bool(_norm(f)) and f.decision.broad_only,
        gettext_lazy(
            "Exposure scores %(exp)s (normative alliances pay off from %(norm_exp)s) and "
            "appetite for public commitments %(commit)s meets the %(norm_base)s an ordinary "
            "pledge needs. Geopolitical exposure is high (%(geo)s; high from %(geo_cut)s), and "
            "a pledge read as a position on state behaviour would need %(norm_cut)s: of such "
            "pledges, support only a broad, low-commitment statement that many peers have "
            "signed. Pledges about how products and supply chains are secured are not affected."
        ),
        ("geopolitical_exposure", "commitment_tolerance"),
        True,
    ),
    ReasonRule(
        "geopolitical_block",
        lambda f: f.decision.geopolitical_block and not _norm_scores(f),
        gettext_lazy(
            "Geopolitical exposure is high (%(geo)s; high from %(geo_cut)s), so a public norms "
            "pledge needs appetite for public commitments of %(norm_cut)s, not %(norm_base)s; "
            "yours is %(commit)s. A pledge would be read as a position on state behaviour by a "
            "government you depend on: not advised for now."
        ),
        ("geopolitical_exposure", "commitment_tolerance"),
        True,
    ),
    ReasonRule(
        "exposure_unknown",
        lambda f: not _exp_known(f),
        gettext_lazy(
            "Exposure is unknown: no question on it has a known answer, so a public norms "
            "commitment is not recommended on this evidence."
        ),
        ("exposure",),
        False,
    ),
    ReasonRule(
        "exposure_low",
        lambda f: _exp_known(f) and f.s["exposure"] < f.t.normative_exposure,
        gettext_lazy(
            "Exposure scores %(exp)s, under the %(norm_exp)s at which normative alliances pay "
            "off: your organisation gains from others' public pledges without needing to take "
            "a public position of its own."
        ),
        ("exposure",),
        False,
    ),
    ReasonRule(
        "commitment_low",
        lambda f: (
            _exp_known(f)
            and f.s["exposure"] >= f.t.normative_exposure
            and not _norm_scores(f)
            and not f.decision.geopolitical_block
        ),
        gettext_lazy(
            "Exposure is high enough (%(exp)s) for a normative alliance to pay off, but "
            "appetite for public commitments (%(commit)s) is under the %(norm_cut)s a public "
            "pledge needs."
        ),
        ("commitment_tolerance",),
        False,
    ),
)


def reasons(facts, gates, visible, answers):
    """Every rule of the table that fired, then every gate that holds, in words a board
    reads, each with the answers behind it."""
    values = facts.values()
    out = []
    for rule in REASONS:
        if rule.applies(facts):
            out.append(
                {
                    "code": rule.code,
                    "text": str(rule.text) % values,
                    "dimension": rule.dims[0],
                    "dimensions": list(rule.dims),
                    "drivers": drivers(rule.dims, visible, answers, high=rule.high),
                }
            )
    by_code = {q.code: q for q in visible}
    for gate in gates:
        out.append(
            {
                "code": f"gate:{gate.code}",
                "gate": gate.code,
                "binding": gate_binds(gate, facts.decision),
                "text": gate.text,
                "dimension": "",
                "drivers": [
                    {
                        "question": c.question,
                        "text": by_code[c.question].text,
                        "answer": answer_text(chosen(by_code[c.question], answers)),
                        "points": None,
                        "of": None,
                        "dimension": "",
                    }
                    for c in gate.when
                    if c.question in by_code
                ],
            }
        )
    return out


def hedged(rows, known, min_known_share):
    """The reasons, each that quotes a score resting mostly on unknown answers prefixed the
    way a provisional headline is: a number worked out from a few answers is a lean, not a
    finding."""
    phrases = dimension_phrases()
    out = []
    for row in rows:
        thin = [
            d
            for d in row.get("dimensions", ())
            if known.get(d) is not None and 0 < known[d] < min_known_share
        ]
        if thin:
            row = dict(
                row,
                text=_("Provisional, as most answers on %(dims)s are unknown: %(text)s")
                % {"dims": and_list([phrases[d] for d in thin]), "text": row["text"]},
                hedged=True,
            )
        out.append(row)
    return out


def gate_binds(gate, decision):
    """Whether this gate changed the result: the scores alone would have gone deeper."""
    if gate.pledges_with:
        return bool(gate.rules_out)
    by_scores = {
        "operational": decision.operational_by_scores,
        "normative": decision.normative_by_scores,
    }
    for track, cap in gate.limits.items():
        order = TRACK_DEPTHS[track]
        if order.index(by_scores[track] or "none") > order.index(cap):
            return True
    return False


def gate_dicts(gates, decision):
    return [
        {
            "code": g.code,
            "text": g.text,
            "limits": dict(g.limits),
            "binding": gate_binds(g, decision),
            "pledges_with": sorted(g.pledges_with),
            "rules_out": list(g.rules_out),
        }
        for g in gates
    ]


def tracks_of(decision):
    return {
        track
        for track, depth in (
            ("operational", decision.operational_depth),
            ("normative", decision.normative_depth),
        )
        if depth
    }


def caveats(scores, decision, t, tags, profile, bank):
    commit, geo = scores["commitment_tolerance"], scores["geopolitical_exposure"]
    out = []
    if (
        geo is not None
        and geo >= t.geopolitical_high
        and commit is not None
        and commit < t.commitment_tolerance_low
    ):
        out.append(
            {
                "code": "geopolitical_low_tolerance",
                "text": _(
                    "High geopolitical exposure (%(geo)s) meets a low appetite for public "
                    "commitments (%(commit)s): review any public statement or sharing agreement "
                    "with legal counsel and government relations before you sign it."
                )
                % {"geo": _num(geo), "commit": _num(commit)},
                "source": "",
                "as_of": "",
            }
        )
    elif decision.broad_only:
        out.append(
            {
                "code": "geopolitical_broad_only",
                "text": _(
                    "With geopolitical exposure of %(geo)s, support only a broad statement "
                    "alongside many peers, and have government relations read its text first: "
                    "at least one government you deal with may still read it as a position."
                )
                % {"geo": _num(geo)},
                "source": "",
                "as_of": "",
            }
        )
    elif decision.normative_depth and geo is not None and geo >= t.geopolitical_high:
        out.append(
            {
                "code": "geopolitical_friction",
                "text": _(
                    "With geopolitical exposure of %(geo)s, expect a norms pledge to be read as a "
                    "position on state behaviour by at least one government you deal with."
                )
                % {"geo": _num(geo)},
                "source": "",
                "as_of": "",
            }
        )
    tracks = tracks_of(decision)
    for caveat in bank.caveats:
        if caveat.when.holds(tags=tags, profile=profile, tracks=tracks):
            out.append(
                {
                    "code": caveat.code,
                    "text": caveat.text,
                    "source": caveat.source,
                    "as_of": caveat.as_of,
                }
            )
    return out


def headline(decision, provisional_dims=(), *, too_few=False):
    op = {
        "receive": _("join an operational alliance as a receive-only member"),
        "contribute": _("join operational alliances as a contributing member"),
    }
    norm = {
        "supporter": _("support a low-commitment normative pledge"),
        "signatory": _("sign a normative alliance as a full signatory"),
    }
    if decision.outcome == "both":
        text = _("Recommendation: %(op)s, and %(norm)s.") % {
            "op": op[decision.operational_depth],
            "norm": norm[decision.normative_depth],
        }
    elif decision.outcome == "operational":
        text = _("Recommendation: %(op)s; stay out of normative pledges for now.") % {
            "op": op[decision.operational_depth]
        }
    elif decision.outcome == "normative":
        text = _(
            "Recommendation: %(norm)s; build security capacity before operational sharing."
        ) % {"norm": norm[decision.normative_depth]}
    else:
        text = _(
            "Recommendation: put cyber hygiene first and stay on the sidelines of "
            "alliances for now, using free one-way sources."
        )
    if provisional_dims:
        text = _(
            "Provisional: too little is known about %(dims)s to recommend firmly. On the "
            "answers given so far, the result leans this way: %(text)s"
        ) % {"dims": and_list(provisional_dims), "text": text}
    elif too_few:
        text = _(
            "Provisional: too few questions have a known answer to recommend firmly. On the "
            "answers given so far, the result leans this way: %(text)s"
        ) % {"text": text}
    return text


def plan(bank, decision, answers, visible, tags, profile):
    """The 90-day plan for the outcome, fitted: steps the answers show are done become
    "keep doing" (or drop out), steps for a law or size that does not apply drop out, and
    owners are named as an organisation of this size names them."""
    keys = []
    if decision.operational_depth:
        keys.append(("operational", f"operational_{decision.operational_depth}"))
    if decision.normative_depth:
        keys.append(("normative", f"normative_{decision.normative_depth}"))
    if not keys:
        keys.append(("hygiene_first", "hygiene_first"))
    tracks = tracks_of(decision)
    visible_codes = {q.code for q in visible}
    steps = []
    for track, key in keys:
        for step in bank.plans.get(key, ()):
            if not step.only_if.holds(tags=tags, profile=profile, tracks=tracks):
                continue
            done = any(c.holds(answers, visible_codes) for c in step.done_if)
            if done and not step.keep:
                continue
            steps.append(
                {
                    "window": step.window,
                    "action": step.keep if done else step.action,
                    "owner": str(owner_label(step.owner, profile.size_band)),
                    "owner_role": step.owner,
                    "status": "keep" if done else "do",
                    "track": track,
                }
            )
    return steps
