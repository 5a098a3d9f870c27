"""Who reads a unit's monthly reports and who changes its report settings.

The report holds the figures and goals of the unit and the units below it, so it follows the
goals: everyone with a role in a unit reads its reports (auditors included); approvers (the
heads of the press office) and system admins build one on request and decide whether, in
which language and to whom it is sent each month. Another authority's report is not found
(404); a report or setting the user reads but may not change is a 403.

One rule, so one implementation: the names below are the goals' checks under the reports'
names (a change to who reads or sets goals changes it for reports alike)."""

from __future__ import annotations

from analytics.goals.permissions import EDIT_ROLES
from analytics.goals.permissions import READ_ROLES
from analytics.goals.permissions import unit_ids_for_reading_goals
from analytics.goals.permissions import units_for_editing_goals
from analytics.goals.permissions import units_for_reading_goals
from analytics.goals.permissions import user_may_edit_goals
from analytics.goals.permissions import user_may_edit_goals_of
from analytics.goals.permissions import user_may_see_goals

__all__ = [
    "EDIT_ROLES",
    "READ_ROLES",
    "unit_ids_for_reading_reports",
    "units_for_editing_reports",
    "units_for_reading_reports",
    "user_may_edit_reports",
    "user_may_edit_reports_of",
    "user_may_see_reports",
]

unit_ids_for_reading_reports = unit_ids_for_reading_goals
units_for_reading_reports = units_for_reading_goals
units_for_editing_reports = units_for_editing_goals
user_may_see_reports = user_may_see_goals
user_may_edit_reports = user_may_edit_goals
user_may_edit_reports_of = user_may_edit_goals_of
