"""Demo summaries in every state for the demo units; every text is marked （演示）."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from campaigns.models import Campaign
from core import clock
from core.demo import demo_units
from organisations.models import Unit

from .models import Extension, Highlight, Summary, SummaryState

DEMO_MARK = "（演示）"
# (state, late) for the first demo units in order; the others have not started.
PLAN = [
    (SummaryState.ACCEPTED, False), (SummaryState.SUBMITTED, False), (SummaryState.SUBMITTED, True),
    (SummaryState.RETURNED, False), (SummaryState.DRAFT, False), (SummaryState.ACCEPTED, False),
    (SummaryState.SUBMITTED, False), (SummaryState.DRAFT, False),
]


@transaction.atomic
def load_demo_data(stdout=None) -> list[tuple[str, str]]:
    campaign = Campaign.objects.filter(slug="qingdao-2022").first()
    if campaign is None or Summary.objects.filter(campaign=campaign).exists():
        return []
    units = {u.name: u for u in Unit.objects.all()}
    hosts = [units[name] for _username, name, _t, _d in demo_units() if name in units]
    staff = get_user_model().objects.filter(username__in=["organiser", "bureau"]).first()
    deadline = datetime.datetime.combine(campaign.summary_deadline, datetime.time(16, 0),
                                         tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    # Submitted before the demo clock: before the deadline, a summary cannot be late yet.
    now = clock.now()
    latest_on_time = min(deadline, now - datetime.timedelta(hours=1))
    for index, (unit, (state, late)) in enumerate(zip(hosts, PLAN, strict=False)):
        late = late and now > deadline
        summary = Summary.objects.create(
            campaign=campaign, unit=unit, office=campaign.office_for(unit.unit_type), state=state, is_late=late,
            work_done=f"{unit.name}围绕“创新争先、自立自强”主题，组织开展座谈、走访慰问、科普进社区等活动。{DEMO_MARK}",
            results=f"累计服务科技工作者和群众千余人次，媒体报道多篇。{DEMO_MARK}",
            experience=f"坚持线上线下结合，注重青年科技工作者参与。{DEMO_MARK}",
            suggestions=f"建议市级层面加强活动宣传统筹。{DEMO_MARK}",
            return_reason=f"请补充活动照片和参与人数。{DEMO_MARK}" if state == SummaryState.RETURNED else "",
            submitted_at=(min(deadline + datetime.timedelta(days=1), now - datetime.timedelta(hours=1)) if late
                          else latest_on_time - datetime.timedelta(days=index + 1))
            if state != SummaryState.DRAFT else None,
        )
        Highlight.objects.create(summary=summary, title=f"青年科技工作者沙龙{DEMO_MARK}",
                                 text=f"邀请青年科技工作者交流创新创业经验。{DEMO_MARK}",
                                 is_starred=state == SummaryState.ACCEPTED)
    if len(hosts) > len(PLAN) and staff is not None:
        Extension.objects.create(campaign=campaign, unit=hosts[len(PLAN)], granted_by=staff,
                                 until=campaign.summary_deadline + datetime.timedelta(days=5),
                                 reason=f"承担防疫任务，申请延期报送。{DEMO_MARK}")
    if stdout is not None:
        stdout.write(f"Summaries: {min(len(hosts), len(PLAN))} demo summaries.\n")
    return []
