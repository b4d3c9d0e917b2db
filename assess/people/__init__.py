"""Who someone is and what they belong to: accounts' sign-in (passwords, two-factor,
single sign-on), memberships and invitations, the access log, and the attempt counters."""
