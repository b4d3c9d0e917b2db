"""Views by object kind: accounts, organisations, assessments."""
