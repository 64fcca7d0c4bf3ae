"""What people tripped over (issue 17): the quota trap, deciding before the experts finish, publishing only
after a preview, the expert's workbench, the objection's receipt code and chosen finalist."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from awards import selectors, services
from awards.models import Nomination, Objection, Selection
from awards.tests.factories import NominationFactory, expert
from awards.workbench import reviews, todos

S = Nomination.Status


# --- the quota trap ------------------------------------------------------------------------------------

def test_a_draft_beyond_the_quota_says_why_and_submits_once_a_place_is_freed(selection, coordinator_a, unit_a):
    selection.default_quota = 2
    selection.save()
    first, second, third = (NominationFactory(selection=selection, unit=unit_a) for _ in range(3))
    quota = selectors.quota_for(selection, unit_a)
    assert (quota.used, quota.quota, quota.full) == (3, 2, True)
    for nomination in (first, second):  # drafts hold places but do not block each other's submission
        assert selectors.submit_blocked_by_quota(nomination) == ""
        services.nomination_transition(actor=coordinator_a, nomination=nomination, action="submit")
    reason = selectors.submit_blocked_by_quota(third)
    assert "撤回" in reason
    with pytest.raises(ValidationError) as error:
        services.nomination_transition(actor=coordinator_a, nomination=third, action="submit")
    assert error.value.code == "quota" and error.value.messages == [reason]
    services.nomination_transition(actor=coordinator_a, nomination=first, action="withdraw")
    services.nomination_transition(actor=coordinator_a, nomination=third, action="submit")
    third.refresh_from_db()
    assert third.status == S.SUBMITTED


def test_the_workbench_tells_a_draft_beyond_the_quota_apart(selection, coordinator_a, unit_a):
    selection.default_quota = 1
    selection.save()
    NominationFactory(selection=selection, unit=unit_a, status=S.SUBMITTED)
    blocked = NominationFactory(selection=selection, unit=unit_a)
    texts = [t["text"] for t in todos(coordinator_a)]
    assert not any("待完善提交" in t for t in texts)
    [item] = [t for t in todos(coordinator_a) if "名额" in t["text"]]
    assert item["url"] == blocked.get_absolute_url()


def test_no_new_nomination_is_offered_once_the_places_are_used(selection, login, coordinator_a, unit_a):
    selection.default_quota = 1
    selection.save()
    NominationFactory(selection=selection, unit=unit_a)
    client = login(coordinator_a)
    page = client.get(reverse("awards:selection", args=[selection.pk])).content.decode()
    assert 'data-testid="quota-full"' in page and 'data-testid="nominate"' not in page
    response = client.get(reverse("awards:nomination_create", args=[selection.pk]))
    assert response.status_code == 302 and response.url == selection.get_absolute_url()


# --- the committee's decision before the experts finish ------------------------------------------------------

def _score(organiser, nomination, total):
    criteria = list(nomination.selection.criteria.all())
    e = expert(f"x{nomination.pk}-{total}")
    a, = services.assignments_create(actor=organiser, expert=e, nominations=[nomination])
    services.assignment_score(actor=e, assignment=a, scores={criteria[0].pk: Decimal(total) - 30,
                                                             criteria[1].pk: Decimal(30)})
    return e


def test_deciding_before_the_reviews_are_finished_needs_a_confirmation_and_a_reason(selection, organiser):
    selection.reviews_required = 2
    selection.save()
    a = NominationFactory(selection=selection, status=S.ELIGIBLE, name="甲")
    b = NominationFactory(selection=selection, status=S.ELIGIBLE, name="乙")
    _score(organiser, a, 90)
    _score(organiser, b, 80)
    late = expert("late-expert")
    services.assignments_create(actor=organiser, expert=late, nominations=[a])
    missing = selectors.missing_reviews(selection)
    assert [(m.nomination.name, m.scored, m.required) for m in missing] == [("乙", 1, 2), ("甲", 1, 2)]
    assert missing[1].pending == [late.display_name]
    with pytest.raises(ValidationError) as error:
        services.selection_decide(actor=organiser, selection=selection, finalist_ids=[a.pk])
    assert "confirm_incomplete" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.selection_decide(actor=organiser, selection=selection, finalist_ids=[a.pk], confirm_incomplete=True)
    assert "incomplete_reason" in error.value.error_dict
    assert not Nomination.objects.filter(status=S.FINALIST).exists()
    assert not AuditEntry.objects.filter(action="awards.selection.decided").exists()
    services.selection_decide(actor=organiser, selection=selection, finalist_ids=[a.pk], confirm_incomplete=True,
                              incomplete_reason="评审会议时间已定")
    entry = AuditEntry.objects.get(action="awards.selection.decided")
    assert entry.changes["incomplete_reason"] == "评审会议时间已定"
    assert [row[1] for row in entry.changes["reviews_incomplete"]] == ["乙", "甲"]


def test_finished_reviews_need_no_confirmation(selection, organiser):
    a = NominationFactory(selection=selection, status=S.ELIGIBLE)
    _score(organiser, a, 90)
    assert selectors.missing_reviews(selection) == []
    services.selection_decide(actor=organiser, selection=selection, finalist_ids=[a.pk])
    a.refresh_from_db()
    assert a.status == S.FINALIST


# --- publishing after a preview ------------------------------------------------------------------------

def _finalist(selection, organiser):
    a = NominationFactory(selection=selection, status=S.ELIGIBLE, name="张三")
    _score(organiser, a, 90)
    services.selection_decide(actor=organiser, selection=selection, finalist_ids=[a.pk])
    return a


def test_the_notice_is_previewed_and_public_only_after_publish(selection, organiser, login, settings):
    _finalist(selection, organiser)
    settings.SCIDAY_CLOCK = "2022-06-01T10:00+08:00"
    client = login(organiser)
    url = reverse("awards:notice_publish", args=[selection.pk])
    preview = client.post(url, {"start": "2022-06-01", "text": "拟表彰名单公示如下"})
    body = preview.content.decode()
    assert preview.status_code == 200 and 'data-testid="public-preview"' in body
    assert "拟表彰名单公示如下" in body and "张三" in body and "2022-06-08" in body
    assert Selection.objects.get(pk=selection.pk).stage == Selection.Stage.OPEN
    assert client.get(reverse("awards:public_notice", args=[selection.campaign.slug])).status_code == 404
    back = client.post(url, {"start": "2022-06-01", "text": "拟表彰名单公示如下", "edit": "1"})
    assert 'data-testid="public-preview"' not in back.content.decode()
    assert Selection.objects.get(pk=selection.pk).stage == Selection.Stage.OPEN
    client.post(url, {"start": "2022-06-01", "text": "拟表彰名单公示如下", "publish": "1"})
    published = Selection.objects.get(pk=selection.pk)
    assert published.stage == Selection.Stage.NOTICE and published.notice_text == "拟表彰名单公示如下"


def test_the_release_is_previewed_and_refused_early_on_the_form(selection, organiser, login, settings):
    a = _finalist(selection, organiser)
    settings.SCIDAY_CLOCK = "2022-06-01T10:00+08:00"
    services.notice_publish(actor=organiser, selection=selection, start=datetime.date(2022, 6, 1), text="公示")
    client = login(organiser)
    url = reverse("awards:release", args=[selection.pk])
    early = client.post(url, {"announcement": "正式发布"}).content.decode()
    assert 'data-testid="public-preview"' not in early and "2022-06-08" in early
    settings.SCIDAY_CLOCK = "2022-06-09T10:00+08:00"
    body = client.post(url, {"announcement": "正式发布"}).content.decode()
    assert 'data-testid="public-preview"' in body and "张三" in body and "发布" in body
    assert Selection.objects.get(pk=selection.pk).stage == Selection.Stage.NOTICE
    client.post(url, {"announcement": "正式发布", "publish": "1"})
    a.refresh_from_db()
    assert a.status == S.WINNER


# --- the expert's workbench ----------------------------------------------------------------------------------

def test_the_experts_review_summary_counts_what_waits(selection, organiser, login):
    nominations = [NominationFactory(selection=selection, status=S.ELIGIBLE) for _ in range(3)]
    reviewer = expert("expert-w")
    services.assignments_create(actor=organiser, expert=reviewer, nominations=nominations)
    assert reviews(reviewer)["pending"] == 3
    page = login(reviewer).get(reverse("workbench:home")).content.decode()
    assert "等待您评分" in page and "目前还没有分配给您的评审任务" not in page


# --- objections -------------------------------------------------------------------------------------------

def test_an_objection_gets_a_receipt_code_and_names_its_finalist(selection, organiser, settings, client):
    a = _finalist(selection, organiser)
    settings.SCIDAY_CLOCK = "2022-06-01T10:00+08:00"
    services.notice_publish(actor=organiser, selection=selection, start=datetime.date(2022, 6, 1), text="公示")
    url = reverse("awards:public_notice", args=[selection.campaign.slug])
    form = client.get(url).content.decode()
    assert '<option value="" selected>请选择</option>' in form
    refused = client.post(url, {"name": "王五", "phone": "13700001111", "facts": "有出入"}).content.decode()
    assert "请选择异议所针对的公示对象" in refused and not Objection.objects.exists()
    response = client.post(url, {"nomination": a.pk, "name": "王五", "phone": "13700001111", "facts": "有出入"},
                           follow=True)
    objection = Objection.objects.get()
    assert len(objection.receipt_code) == 14 and objection.receipt_code in response.content.decode()
    assert objection.receipt_code not in client.get(url).content.decode()  # shown once


def test_the_organisers_objection_page_labels_the_objectors_phone(selection, organiser, settings, login):
    a = _finalist(selection, organiser)
    settings.SCIDAY_CLOCK = "2022-06-01T10:00+08:00"
    services.notice_publish(actor=organiser, selection=selection, start=datetime.date(2022, 6, 1), text="公示")
    selection.refresh_from_db()
    a.refresh_from_db()
    objection = services.objection_file(selection=selection, nomination=a, name="王五", phone="13700001111",
                                        facts="有出入")
    page = login(organiser).get(reverse("awards:objection", args=[objection.pk])).content.decode()
    assert "异议人手机号码" in page and "您的手机号码" not in page and objection.receipt_code in page
