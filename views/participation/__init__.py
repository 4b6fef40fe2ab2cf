"""E-participation on the measures of the Masterplan Digitales Köln: `/participate` (measures
and surveys), `/participate/<survey>` (answer it), `/participate/<survey>/results` (the live
results wall), and workshops by join code, also on a shared tablet and on the projector."""

from views.participation.common import PILLARS
from views.participation.measures import build
from views.participation.results import build_results
from views.participation.survey import build_survey
from views.participation.wall import build_wall
from views.participation.workshop import build_event, build_join, build_tablet

__all__ = [
    "PILLARS",
    "build",
    "build_event",
    "build_join",
    "build_results",
    "build_survey",
    "build_tablet",
    "build_wall",
]
