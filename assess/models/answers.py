"""Answers: the assessment's own (for a workshop, the consensus) and each participant's."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assess.models.assessments import Assessment
from assess.models.banks import Choice, Question
from assess.models.workshops import Participant


class Answer(models.Model):
    """One answer to one question: the assessment's own (participant empty), which for a
    workshop is the consensus, or one workshop participant's."""

    assessment = models.ForeignKey(
        Assessment, models.CASCADE, related_name="answers", verbose_name=_("assessment")
    )
    question = models.ForeignKey(
        Question, models.CASCADE, related_name="+", verbose_name=_("question")
    )
    participant = models.ForeignKey(
        Participant,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name=_("participant"),
    )
    choices = models.ManyToManyField(
        Choice, blank=True, related_name="+", verbose_name=_("choices")
    )
    comment = models.TextField(_("comment"), blank=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"],
                condition=Q(participant__isnull=True),
                name="one_answer",
            ),
            models.UniqueConstraint(
                fields=["assessment", "question", "participant"],
                condition=Q(participant__isnull=False),
                name="one_answer_per_participant",
            ),
        ]

    def __str__(self):
        return f"{self.assessment_id}/{self.question_id}"
