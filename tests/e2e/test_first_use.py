"""What people tripped over the first time (issue 17), walked in Chromium by visible Chinese labels:
one phone checks in one person (补签 at the desk), the quota trap, publishing after a preview, deciding
before the experts finish, the expert's workbench, and the one confirmation dialog."""

from decimal import Decimal

import pytest

from accounts.tests.factories import PASSWORD
from activities import services as activity_services
from activities.models import Activity, CheckIn, Mode, State
from activities.tests.factories import ActivityFactory, at
from audit.models import AuditEntry
from awards import services as award_services
from awards.models import Nomination, Selection
from awards.tests.factories import NominationFactory, SelectionFactory, expert
from organisations.models import District

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = Nomination.Status


def _click_and_wait(page, locator):
    locator.click()
    page.wait_for_load_state()


# --- 1. one phone checks in one person ----------------------------------------------------------------------

def test_one_phone_checks_in_one_person_and_the_host_adds_the_others(page, phone, log_in, live_server, settings,
                                                                     coordinator_a, unit_a):
    activity = ActivityFactory(unit=unit_a, state=State.APPROVED, mode=Mode.OFFLINE, platform="", link="",
                               district=District.objects.get(code="shinan"), address="香港中路100号",
                               starts_at=at(28, 10), ends_at=at(28, 12))
    settings.SCIDAY_CLOCK = "2022-05-28T09:30+08:00"
    checkin_url = f"{live_server.url}/activities/checkin/{activity_services.checkin_code(activity)}/"

    phone.goto(checkin_url)
    phone.get_by_label("姓名").fill("王小明")
    phone.get_by_label("手机号").fill("13811110001")
    _click_and_wait(phone, phone.get_by_role("button", name="签到"))
    assert "签到成功" in phone.locator("main").inner_text()

    phone.goto(checkin_url)  # the same phone tries to check in someone else
    phone.get_by_label("姓名").fill("李四")
    phone.get_by_label("手机号").fill("13811110002")
    _click_and_wait(phone, phone.get_by_role("button", name="签到"))
    text = phone.locator("main").inner_text()
    assert "签到成功" not in text and "一部手机只能为一人签到" in text and "王小明" in text
    assert list(CheckIn.objects.values_list("name", flat=True)) == ["王小明"]

    # 李四 has no phone with him: the host adds him on the check-in list (补签).
    log_in(page, "coord-a", PASSWORD)
    page.goto(f"{live_server.url}/activities/manage/{activity.pk}/")
    _click_and_wait(page, page.get_by_role("link", name="扫码签到"))
    form = page.get_by_test_id("manual-checkin-form")
    form.get_by_label("姓名").fill("李四")
    _click_and_wait(page, form.get_by_role("button", name="补签"))
    assert "已为李四补签" in page.locator("main").inner_text()
    assert page.get_by_test_id("checkin-count").inner_text() == "2"
    assert "扫码签到1人 · 补签1人" in page.get_by_test_id("checkin-split").inner_text()
    row = page.get_by_test_id("checkin-row").filter(has_text="李四")
    assert "补签" in row.inner_text()
    assert AuditEntry.objects.filter(action="activities.checkin.added", actor=coordinator_a).count() == 1


# --- 2. the quota trap ---------------------------------------------------------------------------------------

def test_the_quota_says_it_is_used_and_a_draft_beyond_it_says_how_to_free_a_place(page, log_in, live_server, settings,
                                                                                  qingdao, unit_a, coordinator_a):
    settings.SCIDAY_CLOCK = "2022-05-15T10:00+08:00"
    selection = SelectionFactory(campaign=qingdao, default_quota=2)
    sent = [NominationFactory(selection=selection, unit=unit_a, name=name) for name in ("甲工", "乙工")]
    for nomination in sent:
        award_services.nomination_transition(actor=coordinator_a, nomination=nomination, action="submit")
    draft = NominationFactory(selection=selection, unit=unit_a, name="丙工")
    base = live_server.url

    log_in(page, "coord-a", PASSWORD)
    page.goto(f"{base}/awards/selections/{selection.pk}/")
    assert "已使用3个，共2个名额" in page.get_by_test_id("quotas").inner_text()
    assert "名额已用完" in page.get_by_test_id("quota-full").inner_text()
    assert page.get_by_role("link", name="推荐人选").count() == 0

    # The workbench's to-do leads to the draft, which says why it cannot be submitted and what to do.
    page.goto(f"{base}/workbench/")
    todo = page.get_by_test_id("todos").locator("li").filter(has_text="名额")
    assert "无法提交" in todo.inner_text()
    _click_and_wait(page, todo.get_by_role("link", name="去办理"))
    assert page.url.endswith(f"/awards/nominations/{draft.pk}/")
    assert "撤回" in page.get_by_test_id("quota-blocked").inner_text()
    assert page.get_by_role("link", name="提交推荐").count() == 0

    # Withdrawing another frees the place; then the draft can be submitted.
    page.goto(f"{base}/awards/nominations/{sent[0].pk}/")
    _click_and_wait(page, page.get_by_role("link", name="撤回推荐"))
    _click_and_wait(page, page.get_by_role("button", name="撤回推荐"))
    page.goto(f"{base}/awards/nominations/{draft.pk}/")
    assert page.get_by_test_id("quota-blocked").count() == 0
    _click_and_wait(page, page.get_by_role("link", name="提交推荐"))
    _click_and_wait(page, page.get_by_role("button", name="提交推荐"))
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


# --- 3. publishing after a preview ------------------------------------------------------------------------

def _scored(selection, organiser, nomination, total, username):
    criteria = list(selection.criteria.all())
    reviewer = expert(username)
    assignment, = award_services.assignments_create(actor=organiser, expert=reviewer, nominations=[nomination])
    award_services.assignment_score(actor=reviewer, assignment=assignment,
                                    scores={criteria[0].pk: Decimal(total) - 30, criteria[1].pk: Decimal(30)})


def test_the_notice_is_public_only_after_the_preview_and_publish(page, browser, log_in, live_server, settings, qingdao,
                                                                organiser):
    settings.SCIDAY_CLOCK = "2022-05-15T10:00+08:00"
    selection = SelectionFactory(campaign=qingdao)
    finalist = NominationFactory(selection=selection, status=S.ELIGIBLE, name="张海洋")
    _scored(selection, organiser, finalist, 90, "expert-p")
    award_services.selection_decide(actor=organiser, selection=selection, finalist_ids=[finalist.pk])
    settings.SCIDAY_CLOCK = "2022-06-01T10:00+08:00"
    public_url = f"{live_server.url}/awards/{qingdao.slug}/notice/"

    log_in(page, "organiser-t", PASSWORD)
    page.goto(f"{live_server.url}/awards/selections/{selection.pk}/")
    _click_and_wait(page, page.get_by_role("link", name="发布公示"))
    page.get_by_label("公示开始日期").fill("2022-06-01")
    page.get_by_label("公示正文").fill("经评审委员会审定，拟表彰以下同志，现予公示。")
    assert page.get_by_role("button", name="保存").count() == 0
    _click_and_wait(page, page.get_by_role("button", name="预览"))
    preview = page.get_by_test_id("public-preview")
    assert "经评审委员会审定，拟表彰以下同志，现予公示。" in preview.inner_text()
    assert "张海洋" in preview.inner_text() and "2022-06-08" in preview.inner_text()
    assert "尚未公开" in page.get_by_test_id("preview-notice").inner_text()

    visitor = browser.new_context(locale="zh-CN").new_page()
    assert visitor.goto(public_url).status == 404  # nothing is public yet
    assert Selection.objects.get(pk=selection.pk).stage == Selection.Stage.OPEN

    _click_and_wait(page, page.get_by_role("button", name="发布"))
    assert visitor.goto(public_url).status == 200
    assert "经评审委员会审定，拟表彰以下同志，现予公示。" in visitor.locator("main").inner_text()
    visitor.context.close()


# --- 4. deciding before the experts finish -----------------------------------------------------------------------

def test_deciding_before_the_experts_finish_warns_and_needs_a_reason(page, log_in, live_server, settings, qingdao,
                                                                    organiser):
    settings.SCIDAY_CLOCK = "2022-05-15T10:00+08:00"
    selection = SelectionFactory(campaign=qingdao, reviews_required=2)
    first = NominationFactory(selection=selection, status=S.ELIGIBLE, name="张海洋")
    second = NominationFactory(selection=selection, status=S.ELIGIBLE, name="李工")
    _scored(selection, organiser, first, 90, "expert-d1")
    _scored(selection, organiser, second, 80, "expert-d2")
    late = expert("expert-late")
    award_services.assignments_create(actor=organiser, expert=late, nominations=[first, second])

    log_in(page, "organiser-t", PASSWORD)
    page.goto(f"{live_server.url}/awards/selections/{selection.pk}/")
    _click_and_wait(page, page.get_by_role("link", name="排名与审定"))
    warning = page.get_by_test_id("missing-reviews").inner_text()
    assert "张海洋" in warning and "李工" in warning and "已完成1份评审，需2份" in warning
    assert late.display_name in warning

    page.get_by_label("1. 张海洋").check()
    _click_and_wait(page, page.get_by_role("button", name="记录审定结果"))
    assert "请勾选确认并填写理由" in page.locator("main").inner_text()
    assert not Nomination.objects.filter(status=S.FINALIST).exists()

    page.get_by_label("1. 张海洋").check()
    page.get_by_label("我确认：上列评审尚未完成，评审委员会仍作出决定").check()
    page.get_by_label("评审未完成即作决定的理由").fill("评审委员会会议已召开，专家因病无法按期评分。")
    _click_and_wait(page, page.get_by_role("button", name="记录审定结果"))
    first.refresh_from_db()
    assert first.status == S.FINALIST
    entry = AuditEntry.objects.get(action="awards.selection.decided")
    assert entry.changes["incomplete_reason"] == "评审委员会会议已召开，专家因病无法按期评分。"


# --- 6. the expert's workbench ---------------------------------------------------------------------------------

def test_the_experts_workbench_says_what_waits_without_contradicting_itself(page, log_in, live_server, settings,
                                                                           qingdao, organiser):
    settings.SCIDAY_CLOCK = "2022-05-15T10:00+08:00"
    selection = SelectionFactory(campaign=qingdao)
    nominations = [NominationFactory(selection=selection, status=S.ELIGIBLE) for _ in range(3)]
    reviewer = expert("expert-wb")
    reviewer.set_password(PASSWORD)
    reviewer.save()
    award_services.assignments_create(actor=organiser, expert=reviewer, nominations=nominations)

    log_in(page, "expert-wb", PASSWORD)
    text = page.locator("main").inner_text()
    assert "有3位推荐对象等待您评分" in text
    assert "目前还没有分配给您的评审任务" not in text
    _click_and_wait(page, page.get_by_role("link", name="去评分"))
    assert page.url.endswith("/awards/reviews/")


# --- 14. one confirmation rule -----------------------------------------------------------------------------------

def test_submitting_and_approving_ask_first_in_one_dialog(page, browser, log_in, live_server, settings, unit_a,
                                                         coordinator_a, organiser):
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    activity = ActivityFactory(unit=unit_a, title="线上科普讲座", frugality_pledge=True)
    detail = f"{live_server.url}/activities/manage/{activity.pk}/"

    log_in(page, "coord-a", PASSWORD)
    page.goto(detail)
    assert page.get_by_role("link", name="取消活动").count() == 1
    assert page.get_by_role("link", name="取消", exact=True).count() == 0
    page.get_by_role("button", name="提交审核").click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    assert "线上科普讲座" in dialog.inner_text() and "审核期间不能修改" in dialog.inner_text()
    dialog.get_by_role("button", name="返回").click()
    dialog.wait_for(state="hidden")
    assert Activity.objects.get(pk=activity.pk).state == State.DRAFT  # going back changes nothing

    page.get_by_role("button", name="提交审核").click()
    _click_and_wait(page, page.get_by_role("dialog").get_by_role("button", name="提交审核"))
    assert Activity.objects.get(pk=activity.pk).state == State.SUBMITTED

    # 「取消活动」 asks too, on its own page with the reason.
    page.goto(detail)
    _click_and_wait(page, page.get_by_role("link", name="取消活动"))
    assert page.get_by_role("button", name="取消活动").count() == 1
    assert Activity.objects.get(pk=activity.pk).state == State.SUBMITTED

    reviewer = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    log_in(reviewer, "organiser-t", PASSWORD)
    reviewer.goto(detail)
    reviewer.get_by_role("button", name="审核通过").click()
    dialog = reviewer.get_by_role("dialog")
    dialog.wait_for()
    assert "公开网站" in dialog.inner_text()
    _click_and_wait(reviewer, dialog.get_by_role("button", name="审核通过"))
    assert Activity.objects.get(pk=activity.pk).state == State.APPROVED
    reviewer.context.close()


def test_an_expert_is_asked_before_the_scores_go(page, log_in, live_server, settings, qingdao, organiser):
    settings.SCIDAY_CLOCK = "2022-05-15T10:00+08:00"
    selection = SelectionFactory(campaign=qingdao)
    nomination = NominationFactory(selection=selection, status=S.ELIGIBLE, name="张海洋")
    reviewer = expert("expert-c")
    reviewer.set_password(PASSWORD)
    reviewer.save()
    assignment, = award_services.assignments_create(actor=organiser, expert=reviewer, nominations=[nomination])
    criteria = list(selection.criteria.all())

    log_in(page, "expert-c", PASSWORD)
    page.goto(f"{live_server.url}/awards/reviews/{assignment.pk}/")
    page.fill(f"[name=s-c{criteria[0].pk}]", "50")
    page.fill(f"[name=s-c{criteria[1].pk}]", "30")
    page.get_by_role("button", name="提交评分").click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    assert "张海洋" in dialog.inner_text() and "不能修改" in dialog.inner_text()
    assignment.refresh_from_db()
    assert assignment.status == "assigned"
    _click_and_wait(page, dialog.get_by_role("button", name="提交评分"))
    assignment.refresh_from_db()
    assert assignment.status == "scored"


def test_dropdowns_say_please_choose_in_forms(page, log_in, live_server, settings, coordinator_a):
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    log_in(page, "coord-a", PASSWORD)
    page.goto(f"{live_server.url}/activities/manage/new/")
    options = page.locator("select option").all_inner_texts()
    assert "---------" not in options and "请选择" in options
