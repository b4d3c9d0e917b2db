"""The 60-question bank the budgets speak of: the default bank's questions (38 in version 2)
plus the first ones again under new codes, up to 60. Shared by the benchmarks."""

import copy
import json
from pathlib import Path

DEFAULT_BANK = Path(__file__).resolve().parent.parent / "assess" / "data" / "default_bank.json"


def sixty_question_document(size=60):
    """The whole bank document (format "alliance-bank"), with `size` questions."""
    doc = json.loads(DEFAULT_BANK.read_text())
    sections = doc["bank"]["sections"]
    count = sum(len(s["questions"]) for s in sections)
    extra = []
    for section in copy.deepcopy(sections):
        take = section["questions"][: max(0, size - count)]
        if not take:
            continue
        count += len(take)
        section["code"] += "-x"
        for q in take:
            q["code"] += "-X"
            if q.get("show_if"):
                q["show_if"]["question"] += "-X"
        section["questions"] = take
        extra.append(section)
    doc["bank"]["sections"] = sections + extra
    doc["bank"]["slug"] = "sixty"
    return doc
