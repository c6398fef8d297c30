"""Performance accounts: what came of a cluster's work, in Cluster Excellence Denmark's form."""

from klynge.accounts.compute import (
    ActivityRow,
    Counts,
    Figures,
    OrgRow,
    OutcomeRow,
    ParticipationRow,
    Period,
    compute,
)

__all__ = [
    "ActivityRow",
    "Counts",
    "Figures",
    "OrgRow",
    "OutcomeRow",
    "ParticipationRow",
    "Period",
    "compute",
]
