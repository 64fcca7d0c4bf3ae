"""The seeded questionnaires: the 2022 Qingdao survey of young S&T workers' working conditions.

The questions are data (Chinese first, English alongside). Loading is idempotent: a survey that
exists already is left as it is, because once answered its structure must not change.
"""

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from campaigns.models import Campaign

from .models import Option, Question, QuestionKind, Section, Survey, SurveyLink
from .services import _new_token, _picker_options

SHANGHAI = ZoneInfo("Asia/Shanghai")
S, M, SC, N, LT = QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE, QuestionKind.NUMBER, \
    QuestionKind.LONG_TEXT

CONSENT_2022 = (
    "本调查由青岛市科学技术协会、青岛市科学技术局组织开展，目的是了解我市青年科技工作者的工作和生活状况，"
    "收集意见建议，推动解决急难愁盼问题。\n"
    "调查匿名进行：答卷与您的身份信息分开保存，不记录您的姓名、手机号和IP地址；同一设备只能提交一次，"
    "为此我们在您的设备上保存一个随机标识。结果只以汇总形式呈现，少于5人的群体不单独展示。\n"
    "根据《中华人民共和国个人信息保护法》，您可以随时停止作答；未提交的答卷在调查结束后删除。"
)

# (section, [(code, kind, text, text_en, options, extra)])
QINGDAO_2022 = [
    (("一、基本情况", "1. About you"), [
        ("q1", S, "您的年龄", "Your age",
         ["25岁及以下|25 or under", "26—30岁|26-30", "31—35岁|31-35", "36—40岁|36-40", "41—45岁|41-45"], {}),
        ("q2", S, "您的性别", "Your gender", ["男|Male", "女|Female"], {}),
        ("q3", S, "您的最高学历（学位）", "Your highest degree",
         ["博士研究生|Doctorate", "硕士研究生|Master's", "大学本科|Bachelor's", "大专及以下|College or below"], {}),
        ("q4", S, "您从事的专业领域", "Your field",
         ["理学|Natural sciences", "工学|Engineering", "农学|Agriculture", "医学|Medicine",
          "人文社会科学|Humanities and social sciences"], {"allow_other": True}),
        ("q5", S, "您所在单位的类型", "The type of your employer",
         ["高等院校|University", "科研院所|Research institute", "企业|Enterprise", "医疗卫生机构|Hospital or clinic",
          "党政机关、事业单位|Government or public institution"], {"allow_other": True}),
        ("q6", QuestionKind.DISTRICT, "您工作所在的区（市）", "The district where you work", [], {}),
        ("q7", S, "您的专业技术职称", "Your professional title",
         ["正高级|Senior (full)", "副高级|Senior (associate)", "中级|Intermediate", "初级|Junior",
          "尚未评定|None yet"], {}),
    ]),
    (("二、工作状况", "2. Work"), [
        ("q8", N, "您平均每周工作多少小时？", "How many hours do you work in an average week?", [],
         {"min_value": 0, "max_value": 112, "help_text": "请填写0—112之间的数字"}),
        ("q9", N, "填表、报销、开会等事务性工作约占您工作时间的百分之多少？",
         "What share of your working time goes to paperwork, reimbursement and meetings (%)?", [],
         {"min_value": 0, "max_value": 100, "help_text": "请填写0—100之间的数字；其余时间视为用于科研和业务工作"}),
        ("q10", SC, "您对目前的收入水平是否满意？", "How satisfied are you with your income?",
         ["非常不满意|Very dissatisfied", "不太满意|Dissatisfied", "一般|Neutral", "比较满意|Satisfied",
          "非常满意|Very satisfied"], {"min_value": 1, "max_value": 5}),
        ("q11", S, "您的科研（项目）经费是否够用？", "Is your research funding sufficient?",
         ["充足|Ample", "基本够用|Just enough", "不足|Insufficient", "严重不足|Far from enough",
          "没有科研经费|No funding"], {}),
        ("q12", SC, "您感受到的考核评价压力有多大？", "How much pressure do evaluations put on you?",
         ["很小|Very little", "较小|Little", "一般|Moderate", "较大|High", "很大|Very high"],
         {"min_value": 1, "max_value": 5}),
    ]),
    (("三、生活保障", "3. Living conditions"), [
        ("q13", S, "您目前的住房情况", "Your housing",
         ["自有住房|Own home", "单位宿舍或人才公寓|Employer or talent housing", "租房|Rented",
          "与父母或亲属同住|With parents or relatives"], {"allow_other": True}),
        ("q14", S, "您是否有子女？", "Do you have children?", ["是|Yes", "否|No"], {}),
        ("q15", S, "孩子上学方面是否有困难？", "Do your children face difficulties with schooling?",
         ["没有困难|None", "有一些困难|Some", "困难较大|Serious"], {"show_if": ("q14", 1)}),
        ("q16", S, "您每周锻炼身体的次数", "How often do you exercise in a week?",
         ["几乎不锻炼|Hardly ever", "1—2次|Once or twice", "3次及以上|Three times or more"], {}),
    ]),
    (("四、职业发展", "4. Career"), [
        ("q17", SC, "您对个人职业发展前景的信心", "How confident are you about your career prospects?",
         ["没有信心|Not at all", "信心不足|Little", "一般|Moderate", "比较有信心|Fairly", "非常有信心|Very"],
         {"min_value": 1, "max_value": 5}),
        ("q18", S, "过去一年，您参加培训、学术交流的次数", "Training or academic exchanges attended in the past year",
         ["没有参加|None", "1—2次|1-2", "3—5次|3-5", "6次及以上|6 or more"], {}),
        ("q19", M, "您当前面临的最大困难是哪些？（最多选3项）", "Your biggest difficulties (up to three)",
         ["收入偏低|Low income", "住房压力大|Housing costs", "科研经费不足|Too little research funding",
          "考核评价过多过繁|Too many evaluations", "事务性工作负担重|Too much paperwork",
          "职称晋升难|Slow promotion", "子女教育|Children's schooling",
          "缺少学术交流和培训机会|Few chances to train and exchange", "工作与家庭难以兼顾|Work-family balance",
          "身体健康状况不佳|Poor health"], {"allow_other": True, "max_choices": 3}),
    ]),
    (("五、意见建议", "5. Your views"), [
        ("q20", LT, "您当前最急需解决的问题是什么？", "What is your most urgent problem?", [], {"required": False}),
        ("q21", LT, "您对改善青年科技工作者工作环境有哪些意见建议？",
         "What do you suggest to improve the working conditions of young S&T workers?", [], {"required": False}),
    ]),
]

SEEDS = {
    "qingdao-2022": {
        "campaign": "qingdao-2022",
        "title": "2022年青岛市青年科技工作者工作状况调查",
        "title_en": "2022 Survey of the Working Conditions of Young S&T Workers in Qingdao",
        "introduction": "为落实全国科技工作者日活动安排（青科协字〔2022〕37号），了解我市青年科技工作者工作状况，"
                        "特开展本次调查。问卷约需5分钟，感谢您的支持！",
        "introduction_en": "Part of the 2022 National S&T Workers' Day campaign. It takes about five minutes.",
        "consent_text": CONSENT_2022,
        "opens_at": datetime.datetime(2022, 5, 11, 0, 0, tzinfo=SHANGHAI),
        "closes_at": datetime.datetime(2022, 6, 21, 0, 0, tzinfo=SHANGHAI),
        "sections": QINGDAO_2022,
    },
}


def _split(option: str) -> tuple[str, str]:
    label, _bar, english = option.partition("|")
    return label, english


@transaction.atomic
def survey_load_seed(*, slug: str) -> tuple[Survey, bool]:
    """Load the seeded questionnaire ``slug``; returns (survey, created)."""
    seed = SEEDS[slug]
    existing = Survey.objects.filter(slug=slug).first()
    if existing is not None:
        return existing, False
    campaign = Campaign.objects.get(slug=seed["campaign"])
    survey = Survey.objects.create(
        campaign=campaign, slug=slug, title=seed["title"], title_en=seed["title_en"],
        introduction=seed["introduction"], introduction_en=seed["introduction_en"],
        consent_text=seed["consent_text"], opens_at=seed["opens_at"], closes_at=seed["closes_at"],
    )
    SurveyLink.objects.create(survey=survey, token=_new_token())
    order = 0
    by_code: dict[str, Question] = {}
    for section_order, ((title, title_en), questions) in enumerate(seed["sections"], start=1):
        section = Section.objects.create(survey=survey, order=section_order, title=title, title_en=title_en)
        for code, kind, text, text_en, options, extra in questions:
            order += 1
            extra = dict(extra)
            show_if = extra.pop("show_if", None)
            question = Question.objects.create(survey=survey, section=section, order=order, code=code, kind=kind,
                                               text=text, text_en=text_en, **extra)
            pairs = _picker_options(kind) if kind in {QuestionKind.DISTRICT, QuestionKind.UNIT_TYPE} \
                else [_split(o) for o in options]
            start = int(question.min_value) if kind == QuestionKind.SCALE else 1
            rows = [Option(question=question, code=start + i, label=label, label_en=english)
                    for i, (label, english) in enumerate(pairs)]
            if question.allow_other:
                rows.append(Option(question=question, code=97, label="其他（请注明）", label_en="Other (please specify)",
                                   is_other=True))
            Option.objects.bulk_create(rows)
            if show_if:
                source, option_code = show_if
                question.show_if_option = by_code[source].options.get(code=option_code)
                question.save(update_fields=["show_if_option"])
            by_code[code] = question
    return survey, True
