"""The shared receipt-code pages: submit (throttled), see the code once, follow the item with the code."""

import uuid
from types import SimpleNamespace

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import translation

from core.receipts import Limit, ReceiptFlow

ITEMS = {"K7QD-M2XA-9PRT": SimpleNamespace(reference="W-001")}
FLOW = ReceiptFlow(receipt_key="t_new_receipt", follow_key="t_follow_code", lookup=ITEMS.get,
                   done_url="/t/done/", follow_url="/t/follow/", status_url="/t/status/")


class ItemForm(forms.Form):
    text = forms.CharField()


class CodeForm(forms.Form):
    code = forms.CharField()


@pytest.fixture(autouse=True)
def templates(settings):
    settings.TEMPLATES = [{
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", {
            "form.html": "{% for e in form.non_field_errors %}[{{ e }}]{% endfor %}"
                         "{% for e in form.code.errors %}[{{ e }}]{% endfor %}",
            "done.html": "code={{ receipt.code }} ref={{ receipt.reference }}",
        })]},
    }]
    with translation.override("en"):
        yield


@pytest.fixture
def limit():
    """A scope of its own per test, so that no count leaks between tests whatever the cache."""
    return Limit(scope=f"test.{uuid.uuid4().hex}", setting="SCIDAY_TEST_RECEIPT_LIMIT", default=2)


def make(method="get", data=None, session=None, remote="10.0.0.1"):
    factory = RequestFactory()
    request = factory.post("/", data or {}, REMOTE_ADDR=remote) if method == "post" else factory.get("/")
    request.session = {} if session is None else session
    return request


def create(text):
    if text == "bad":
        raise ValidationError({"text": ["no"]})
    return SimpleNamespace(reference="W-002"), "AAAA-BBBB-CCCC"


def submit(request, limit):
    return FLOW.submit(request, form=ItemForm(request.POST or None), create=create, limit=limit,
                       too_many="slow down", template="form.html")


@pytest.mark.django_db
def test_a_submission_keeps_the_receipt_for_the_done_page_which_shows_it_once(limit):
    session = {}
    response = submit(make("post", {"text": "hello"}, session), limit)
    assert response.status_code == 302 and response.url == "/t/done/"
    assert session == {"t_new_receipt": {"code": "AAAA-BBBB-CCCC", "reference": "W-002"}}
    page = FLOW.done(make(session=session), template="done.html")
    assert page.content.decode() == "code=AAAA-BBBB-CCCC ref=W-002"
    again = FLOW.done(make(session=session), template="done.html")
    assert again.status_code == 302 and again.url == "/t/follow/"


@pytest.mark.django_db
def test_an_invalid_form_or_a_refusal_of_the_service_shows_the_form_again(limit):
    assert submit(make("post", {}), limit).status_code == 200
    session = {}
    response = submit(make("post", {"text": "bad"}, session), limit)
    assert response.status_code == 200 and session == {}
    assert submit(make(), limit).status_code == 200


@pytest.mark.django_db
def test_submissions_are_throttled_per_client_and_the_setting_overrides_the_limit(limit, settings):
    statuses = [submit(make("post", {"text": "x"}), limit).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert "[slow down]" in submit(make("post", {"text": "x"}), limit).content.decode()
    assert submit(make("post", {"text": "x"}, remote="10.0.0.2"), limit).status_code == 302
    settings.SCIDAY_TEST_RECEIPT_LIMIT = 10
    assert submit(make("post", {"text": "x"}), limit).status_code == 302


def follow(request, limit):
    return FLOW.follow(request, form=CodeForm(request.POST or None), limit=limit, not_found="unknown code",
                       template="form.html")


@pytest.mark.django_db
def test_a_known_code_is_followed_in_the_session_and_an_unknown_one_is_an_error(limit):
    session = {}
    wrong = follow(make("post", {"code": "AAAA-BBBB-CCCC"}, session), limit)
    assert wrong.status_code == 200 and "[unknown code]" in wrong.content.decode() and session == {}
    right = follow(make("post", {"code": "K7QD-M2XA-9PRT"}, session), limit)
    assert right.status_code == 302 and right.url == "/t/status/"
    assert FLOW.followed(make(session=session)) == (ITEMS["K7QD-M2XA-9PRT"], "K7QD-M2XA-9PRT")


@pytest.mark.django_db
def test_following_is_throttled(limit):
    statuses = [follow(make("post", {"code": "AAAA-BBBB-CCCC"}), limit).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert "Too many attempts" in follow(make("post", {"code": "K7QD-M2XA-9PRT"}), limit).content.decode()


def test_nothing_is_followed_without_a_code_or_when_the_code_no_longer_finds_the_item():
    assert FLOW.followed(make()) == (None, "")
    assert FLOW.followed(make(session={"t_follow_code": "GONE-GONE-GONE"})) == (None, "GONE-GONE-GONE")
