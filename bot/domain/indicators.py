"""The periods the coordinator's indicators are usually read for."""

PERIODS = ("this_month", "last_month", "last_12_months", "this_year", "last_year")
