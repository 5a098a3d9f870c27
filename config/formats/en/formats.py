"""English dates as the English interface shows them: day before month and a 24-hour clock,
like the German interface and the authority's own documents; Django's "en" defaults are
American (month first, "a.m."/"p.m."), which mixed with the day-first dates of the rest."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
