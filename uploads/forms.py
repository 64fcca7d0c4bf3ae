"""Form fields other apps put in their forms: wrong-type and over-size files become form errors.

The field only checks; the view stores the cleaned file(s) with ``asset_store`` /
``assets_store_many``, where it knows the owner and the unit::

    class PhotoForm(forms.Form):
        photos = MultipleAssetFileField(use=AssetUse.IMAGE, max_files=9)

    assets = assets_store_many(files=form.cleaned_data["photos"], use=AssetUse.IMAGE,
                               owner=request.user, unit=unit)
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import conf
from .filetypes import EXTENSIONS
from .services import asset_check_upload, clean_original_name


def _accept(use) -> str:
    rule = conf.use_rule(use)
    return ",".join([*rule.types, *(f".{EXTENSIONS[t]}" for t in rule.types)])


class AssetFileField(forms.FileField):
    """One file for one use (``uploads.models.AssetUse``); cleans to the UploadedFile."""

    def __init__(self, *, use, **kwargs):
        conf.use_rule(use)  # an unknown use fails when the form is defined, not when it is posted
        self.use = use
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": _accept(use)}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            asset_check_upload(uploaded_file=value, use=self.use)
        return value


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleAssetFileField(AssetFileField):
    """Several files for one use; cleans to a list of UploadedFiles (empty when not required)."""

    def __init__(self, *, use, max_files: int | None = None, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": _accept(use)}))
        super().__init__(use=use, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            super().clean(None, initial)  # raises "required" when the field is required
            return []
        if self.max_files is not None and len(files) > self.max_files:
            raise ValidationError(
                ngettext("At most %(count)d file is allowed.", "At most %(count)d files are allowed.",
                         self.max_files) % {"count": self.max_files},
                code="too_many",
            )
        errors, cleaned = [], []
        for uploaded_file in files:
            try:
                cleaned.append(super().clean(uploaded_file, initial))
            except ValidationError as exc:
                errors.extend(
                    _("%(name)s: %(reason)s") % {"name": clean_original_name(uploaded_file.name), "reason": message}
                    for message in exc.messages
                )
        if errors:
            raise ValidationError(errors)
        return cleaned
