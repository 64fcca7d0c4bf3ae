"""Demo problems in every state of the ledger, assigned to demo units; every one is marked （演示）."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from core import clock
from organisations.models import Office, Unit

from .models import Category, Problem, Source, Status
from .services import problem_create, problem_submit, problem_submitter_respond, problem_transition

DEMO_MARK = "（演示）"

# (category, problem, public summary, what was done)
DEMO_PROBLEMS = [
    (Category.FUNDING, "横向课题经费报销流程繁琐，一张发票要跑四个部门签字。",
     "科研经费报销审批环节多、耗时长。", "推行经费报销“一站式”线上审批，签字环节由4个压减为1个。"),
    (Category.EVALUATION, "青年人才评职称仍看论文数量，成果转化业绩不被认可。",
     "职称评价中成果转化业绩认定不充分。", "在工程系列职称评审中增加成果转化业绩认定条款。"),
    (Category.HOUSING, "刚引进的博士租房补贴申请后三个月还没到账。",
     "引进人才租房补贴发放不及时。", "协调人社部门开通补贴发放绿色通道，已全部发放到位。"),
    (Category.SCHOOLING, "外地引进的科研人员子女入学手续不清楚，跑了多次。",
     "引进人才子女入学办理指引不清。", "编印人才子女入学服务指南，设立专人对接咨询。"),
    (Category.TALENT_POLICY, "企业青年工程师不了解可以申报哪些人才项目。",
     "企业青年科技人员对人才政策知晓度低。", "举办人才政策进企业宣讲会3场，发放政策汇编。"),
    (Category.SERVICES, "园区实验平台预约系统经常无法登录。",
     "园区共享实验平台预约不便。", "平台预约系统完成升级，开通微信小程序预约。"),
    (Category.OTHER, "希望多组织跨学科青年科技工作者交流活动。",
     "青年科技工作者跨学科交流机会少。", "市科协每季度举办一次青年科技沙龙。"),
    (Category.FUNDING, "小额科研项目结题审计费用需要课题组自己承担。", "", ""),
    (Category.EVALUATION, "年度考核中科普工作量没有计入。", "", ""),
    (Category.HOUSING, "人才公寓申请条件中社保年限要求过高。", "", ""),
    (Category.SCHOOLING, "子女入园名额紧张，希望纳入人才服务。", "", ""),
    (Category.TALENT_POLICY, "博士后出站留青补贴申请材料重复提交。", "", ""),
    (Category.SERVICES, "科研仪器进口通关时间长。", "", ""),
    (Category.OTHER, "希望开通科技工作者心理健康咨询服务。", "", ""),
    (Category.FUNDING, "青年基金项目配套经费到位慢。", "", ""),
    (Category.SERVICES, "单位附近缺少停车位，早高峰通勤困难。", "", ""),
    (Category.OTHER, "建议广告投放——与科技工作者无关的推广信息。", "", ""),
    (Category.EVALUATION, "横向项目业绩在岗位聘任中折算比例偏低。", "", ""),
    (Category.HOUSING, "异地调入人员公积金转移手续复杂。", "", ""),
    (Category.TALENT_POLICY, "企业博士申报市级人才项目名额少。", "", ""),
]
# The state each demo problem is brought to, in order; the first seven are resolved or closed.
DEMO_TARGETS = [Status.CLOSED, Status.CLOSED, Status.CLOSED, Status.CLOSED, Status.RESOLVED, Status.RESOLVED,
                Status.CLOSED, Status.IN_PROGRESS, Status.IN_PROGRESS, Status.IN_PROGRESS, Status.ASSIGNED,
                Status.ASSIGNED, Status.ACCEPTED, Status.RAISED, Status.RAISED, Status.REOPENED, Status.DECLINED,
                Status.IN_PROGRESS, Status.RAISED, Status.ASSIGNED]
PATHS = {
    Status.RAISED: [], Status.ACCEPTED: ["accept"], Status.DECLINED: ["decline"],
    Status.ASSIGNED: ["accept", "assign"], Status.IN_PROGRESS: ["accept", "assign", "progress"],
    Status.RESOLVED: ["accept", "assign", "progress", "resolve"],
    Status.CLOSED: ["accept", "assign", "progress", "resolve", "confirm"],
    Status.REOPENED: ["accept", "assign", "progress", "resolve", "object"],
}


@transaction.atomic
def load_demo_data(stdout=None) -> list[tuple[str, str]]:
    if Problem.objects.filter(title__endswith=DEMO_MARK).exists():
        return []  # loaded before: keep what demonstrators changed since
    organiser = get_user_model().objects.filter(username="organiser").first()
    units = list(Unit.objects.filter(name__in=["市南区科协", "青岛大学科协", "海尔集团科协", "青岛市医学会"])
                 .order_by("name")) or list(Unit.objects.filter(is_active=True)[:4])
    if organiser is None or not units:
        return []
    office = Office.objects.first()
    today = clock.today()
    for i, ((category, text, summary, done), target) in enumerate(zip(DEMO_PROBLEMS, DEMO_TARGETS, strict=True)):
        title = f"{text[:24]}{DEMO_MARK}"
        code = ""
        if i % 3 == 0:
            problem, code = problem_submit(category=category, description=text, contact="13800000000",
                                            consent=True, title=title)
        else:
            problem = problem_create(actor=organiser, category=category, description=text, title=title,
                                     source=Source.SYMPOSIUM if i % 3 == 1 else Source.PHONE,
                                     source_label="青年科技工作者座谈会（演示）" if i % 3 == 1 else "")
        unit = units[i % len(units)]
        details = {
            "decline": {"note": "不属于科技工作者急难愁盼问题范围（演示）。"},
            "assign": {"unit": unit if i % 5 else None, "office": None if i % 5 else office,
                       # some are already late, so the ledger shows overdue items
                       "due_date": today + timedelta(days=20 if i % 4 else 1)},
            "progress": {"note": "已与相关部门对接，正在研究解决方案（演示）。"},
            "resolve": {"resolution": done or "已协调解决（演示）。",
                        "public_summary": summary or text},
            "object": {"note": "问题仍未完全解决（演示）。"},
        }
        for action in PATHS[target]:
            if code and action in ("confirm", "object"):  # the submitter answers with their receipt code
                problem_submitter_respond(problem=problem, receipt_code=code, action=action,
                                          note=details.get(action, {}).get("note", ""))
            else:
                problem_transition(actor=organiser, problem=problem, action=action, **details.get(action, {}))
        problem.refresh_from_db()
        if target in (Status.ASSIGNED, Status.IN_PROGRESS) and i % 4 == 0:
            Problem.objects.filter(pk=problem.pk).update(due_date=today - timedelta(days=3))
    if stdout is not None:
        stdout.write(f"Problems ledger: {len(DEMO_PROBLEMS)} demo problems.")
    return []
