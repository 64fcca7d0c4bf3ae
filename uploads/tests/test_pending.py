"""Files kept while a refused long form is corrected: the owner's only, used once, pruned after a day."""

import datetime

import pytest
from django import forms
from django.core.management import call_command
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from accounts.tests.factories import UserFactory
from uploads.forms import AssetFileField, KeepsUploads
from uploads.models import Asset, AssetUse, PendingUpload

from . import samples

pytestmark = pytest.mark.django_db


class _Form(KeepsUploads, forms.Form):
    name = forms.CharField()
    photo = AssetFileField(use=AssetUse.IMAGE, required=False)


def _photo():
    return samples.upload("照片.jpg", samples.image_bytes())


def test_a_refused_form_keeps_the_file_and_takes_it_back_without_a_new_choice():
    alice = UserFactory(username="alice-p")
    refused = _Form(data={"name": ""}, files=MultiValueDict({"photo": [_photo()]}), uploader=alice)
    assert not refused.is_valid()
    [pending] = PendingUpload.objects.filter(owner=alice)
    assert 'name="photo__kept"' in str(refused["photo"]) and "照片.jpg" in str(refused["photo"])

    again = _Form(data=MultiValueDict({"name": ["张三"], "photo__kept": [str(pending.token)]}), uploader=alice)
    assert again.is_valid()
    assert again.cleaned_data["photo"].name == "照片.jpg"
    assert PendingUpload.objects.count() == 1  # not kept a second time
    again.forget_kept()
    assert not PendingUpload.objects.exists() and not Asset.objects.filter(pk=pending.asset_id).exists()


def test_another_persons_token_finds_nothing():
    alice, mallory = UserFactory(username="alice-q"), UserFactory(username="mallory-q")
    _Form(data={"name": ""}, files=MultiValueDict({"photo": [_photo()]}), uploader=alice).is_valid()
    token = str(PendingUpload.objects.get().token)
    stolen = _Form(data=MultiValueDict({"name": ["x"], "photo__kept": [token]}), uploader=mallory)
    assert stolen.is_valid() and stolen.cleaned_data["photo"] is None
    assert "photo__kept" not in str(stolen["photo"])


def test_kept_files_older_than_a_day_are_pruned():
    alice = UserFactory(username="alice-r")
    _Form(data={"name": ""}, files=MultiValueDict({"photo": [_photo()]}), uploader=alice).is_valid()
    _Form(data={"name": ""}, files=MultiValueDict({"photo": [_photo()]}), uploader=alice).is_valid()
    old, fresh = PendingUpload.objects.order_by("pk")
    PendingUpload.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    call_command("prune_pending_uploads")
    assert list(PendingUpload.objects.all()) == [fresh]
    assert not Asset.objects.filter(pk=old.asset_id).exists()
