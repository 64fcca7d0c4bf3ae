"""The form fields other apps embed: a wrong file is a form error, a right one cleans to the upload."""

import pytest
from django import forms
from django.utils import translation
from django.utils.datastructures import MultiValueDict

from uploads.forms import AssetFileField, MultipleAssetFileField
from uploads.models import AssetUse

from . import samples


class NominationForm(forms.Form):
    photo = AssetFileField(use=AssetUse.IMAGE)
    consent = AssetFileField(use=AssetUse.DOCUMENT, required=False)
    photos = MultipleAssetFileField(use=AssetUse.IMAGE, max_files=2, required=False)


def _form(**files):
    data = MultiValueDict({name: value if isinstance(value, list) else [value] for name, value in files.items()})
    return NominationForm(data={}, files=data)


def test_right_files_clean_to_the_uploads():
    photo = samples.upload("照片.jpg", samples.image_bytes())
    form = _form(photo=photo, photos=[samples.upload("a.png", samples.image_bytes("PNG"))])

    assert form.is_valid(), form.errors
    assert form.cleaned_data["photo"] is photo
    assert [f.name for f in form.cleaned_data["photos"]] == ["a.png"]
    assert form.cleaned_data["consent"] is None


def test_a_wrong_file_is_a_form_error_in_chinese():
    with translation.override("zh-hans"):
        form = _form(photo=samples.upload("photo.png", samples.HTML), consent=samples.upload("a.pdf", samples.ELF),
                     photos=[samples.upload("ok.jpg", samples.image_bytes()), samples.upload("x.jpg", samples.SVG)])

        assert not form.is_valid()
        assert form.errors["photo"] == ["文件类型不符合要求：仅支持 JPEG、PNG、WebP 图片。"]
        assert form.errors["consent"] == ["文件类型不符合要求：仅支持 PDF 或 Word（DOCX）文档。"]
        assert form.errors["photos"] == ["x.jpg：文件类型不符合要求：仅支持 JPEG、PNG、WebP 图片。"]


def test_too_many_files_and_a_missing_required_file_are_errors():
    form = _form(photos=[samples.upload(f"{i}.jpg", samples.image_bytes()) for i in range(3)])

    assert not form.is_valid()
    assert "photo" in form.errors
    assert form.errors.as_data()["photos"][0].code == "too_many"


def test_the_widget_tells_the_browser_what_to_offer():
    html = str(NominationForm()["photos"])

    assert 'accept="image/jpeg,image/png,image/webp,.jpg,.png,.webp"' in html
    assert "multiple" in html


def test_an_unknown_use_fails_when_the_form_is_defined():
    with pytest.raises(ValueError):
        AssetFileField(use="avatar")
