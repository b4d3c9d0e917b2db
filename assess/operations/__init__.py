"""Running the site: /health/ (health), errors to Sentry with personal data scrubbed (errors),
structured logs (logs), every e-mail through the task queue (mail), backups (backups)."""
