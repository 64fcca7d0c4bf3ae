"""The questions page every respondent opens: its unanswered markup is shared, and never stale."""

from django.test import Client
from django.urls import reverse

from surveys import services


def _open(client, token):
    client.post(reverse("surveys:entry", kwargs={"kind": "s", "token": token}), {"consent": "1"})
    return client.get(reverse("surveys:answer", kwargs={"kind": "s", "token": token}))


def test_a_first_visit_is_served_from_the_cache_and_a_wording_fix_shows_at_once(
        live, organiser, open_link, django_assert_max_num_queries):
    first = _open(Client(), open_link.token).content.decode()
    assert "您的年龄" in first and 'value="1"' in first
    phone = Client()
    phone.post(reverse("surveys:entry", kwargs={"kind": "s", "token": open_link.token}), {"consent": "1"})
    url = reverse("surveys:answer", kwargs={"kind": "s", "token": open_link.token})
    with django_assert_max_num_queries(5):  # way in, draft, versions, cached questions (+ session)
        second = phone.get(url).content.decode()
    assert second.count('name="q19"') == first.count('name="q19"') > 5
    q1 = open_link.survey.questions.get(code="q1")
    services.question_save(actor=organiser, survey=open_link.survey, question=q1,
                           data={"text": "您的年龄段（周岁）"}, options=[(o.label, o.label_en) for o in q1.options.all()])
    assert "您的年龄段（周岁）" in _open(Client(), open_link.token).content.decode()


def test_a_returning_phone_sees_its_own_answers_not_the_shared_markup(live, open_link):
    phone = Client()
    _open(phone, open_link.token)
    phone.post(reverse("surveys:draft", kwargs={"kind": "s", "token": open_link.token}), {"q1": "3", "q2": "2"})
    page = phone.get(reverse("surveys:answer", kwargs={"kind": "s", "token": open_link.token})).content.decode()
    assert 'id="q1-3" value="3" checked' in page and 'id="q2-2" value="2" checked' in page
    fresh = _open(Client(), open_link.token).content.decode()
    assert " checked" not in fresh.split("<script>")[0]
