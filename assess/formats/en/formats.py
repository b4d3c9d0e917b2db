# English dates as the team writes them ("6 December 2026", "6 Dec 2026"), not Django's
# US-style "Dec. 6, 2026"; French and German use Django's own formats ("6 décembre 2026",
# "6. Dezember 2026", "06/12/2026", "06.12.2026").
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
