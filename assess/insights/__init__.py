"""A result beside others and over time: peers (with consent), the trend, a consultant's
portfolio, and the scores these read from a result (also what models read of it).

`shown`: what a result's page and report show of these, read before rendering and passed to
the presenter: no template tag queries."""
