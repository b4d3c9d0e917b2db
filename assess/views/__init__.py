"""The views, one module per area: accounts (sign-up, sign-in, password), two_factor, sso,
organizations (profile, dashboard), members (roles, invitations), assessments (the
questionnaire, review, submit, result, report and PDF), whatif, workshops (joining, the
board, consensus) and portfolio. They load and authorise through assess.access, share code
through the modules beside them, never through each other, and none calls the rules."""
