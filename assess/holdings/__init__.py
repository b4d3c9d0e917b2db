"""After the decision: what the organisation belongs to, against what was recommended.

- `held`: the memberships held, read once and passed to the presenter (`rows`), their
  fingerprint for the stored PDF's key, the dashboard's and the portfolio's reads, and what
  they pre-fill in a new assessment;
- `compare`: PURE: held against recommended ("next step", "keep", "why do we still pay for
  this?") with the cost of each group;
- `controls`: the controls mapping (assess/data/controls.json): its checks, loading it, and
  which controls apply and what meets them (PURE);
- `forms`: recording a membership;
- `reminders`: renewal and yearly re-assessment reminders (`manage.py send_reminders`), the
  unsubscribe link, and the one function every reminder mail goes through.
"""
