"""The pledges app's tables, a module per concern; every model is importable from here."""

from pledges.models.accounts import SignerAccount
from pledges.models.action_plan import ActionStep, Broadcast, EmailPreference, Invitation, SchoolTerm, StepStatus
from pledges.models.ledger import BoardResolution, InspectorStatusChange
from pledges.models.moderation import (
    AuditEntry,
    BackgroundJob,
    BlockedDomain,
    Invalidation,
    RejectionReason,
    SiteSwitches,
    log_action,
)
from pledges.models.outbox import Email, MailServerStatus
from pledges.models.pledges import (
    OfstedRegion,
    Pledge,
    PledgeQuerySet,
    PledgeVersion,
    PostcodeArea,
    Region,
    Role,
    School,
    Union,
)
from pledges.models.reach import CampaignSource, OfflineSupport
from pledges.models.signatures import PledgeCount, Recount, Signature, SignatureQuerySet

__all__ = [
    "ActionStep",
    "AuditEntry",
    "BackgroundJob",
    "BlockedDomain",
    "BoardResolution",
    "Broadcast",
    "CampaignSource",
    "Email",
    "EmailPreference",
    "InspectorStatusChange",
    "Invalidation",
    "Invitation",
    "MailServerStatus",
    "OfflineSupport",
    "OfstedRegion",
    "Pledge",
    "PledgeCount",
    "PledgeQuerySet",
    "PledgeVersion",
    "PostcodeArea",
    "Recount",
    "Region",
    "RejectionReason",
    "Role",
    "School",
    "SchoolTerm",
    "Signature",
    "SignatureQuerySet",
    "SignerAccount",
    "SiteSwitches",
    "StepStatus",
    "Union",
    "log_action",
]
