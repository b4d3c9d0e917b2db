"""Webhooks: an organisation's addresses told of "assessment submitted" and "PDF ready".

Each call is a POST of JSON, signed with HMAC-SHA256 over "<timestamp>.<body>" with the
webhook's secret (header `X-Signature: t=<timestamp>,v1=<hex>`), so the receiver can check
both who sent it and that it is fresh. Calls go through the task queue after the request's
transaction commits, never in the request; a failed call is queued again with a growing
delay, up to API_WEBHOOK_ATTEMPTS times."""

import hashlib
import hmac
import json
import logging
import time
from datetime import timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from assess.models import Webhook

logger = logging.getLogger(__name__)

SUBMITTED = Webhook.Event.SUBMITTED
PDF_READY = Webhook.Event.PDF_READY


def signature(secret, timestamp, body):
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def announce(organization, event, data):
    """Queue a call to each of the organisation's active webhooks that asked for `event`,
    once the current transaction commits."""
    hooks = [
        h.pk
        for h in Webhook.objects.filter(organization=organization, active=True)
        if event in (h.events or [])
    ]
    payload = {"event": str(event), "organization": str(organization.code), "data": data}
    for pk in hooks:
        transaction.on_commit(lambda pk=pk: webhook_deliver.enqueue(pk, payload, 1))
    return len(hooks)


@task()
def webhook_deliver(webhook_id, payload, attempt):
    """One call; on failure, queue the next attempt later. Returns the status code got."""
    hook = Webhook.objects.filter(pk=webhook_id, active=True).first()
    if hook is None:
        return 0
    body = json.dumps({**payload, "attempt": attempt}, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Signature": f"t={timestamp},v1={signature(hook.secret, timestamp, body)}",
        "X-Event": payload["event"],
    }
    try:
        response = requests.post(
            hook.url, data=body, headers=headers, timeout=settings.API_WEBHOOK_TIMEOUT
        )
        status = response.status_code
    except requests.RequestException as e:
        logger.warning("webhook %s failed: %s", hook.pk, e)
        status = 0
    if not 200 <= status < 300 and attempt < settings.API_WEBHOOK_ATTEMPTS:
        later = timezone.now() + timedelta(seconds=30 * 2 ** (attempt - 1))
        webhook_deliver.using(run_after=later).enqueue(webhook_id, payload, attempt + 1)
    return status
