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
from .services import asset_check_upload, clean_original_name, pending_as_upload, pending_get, pending_keep

KEPT_SUFFIX = "__kept"


class KeptFileInput(forms.ClearableFileInput):
    """A file input that also lists the files already chosen and kept (hidden tokens, names shown)."""

    template_name = "uploads/widgets/kept_file_input.html"
    kept: list = []

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["kept"] = [(str(p.token), p.asset.original_name or p.asset.file.name) for p in self.kept]
        context["widget"]["kept_name"] = name + KEPT_SUFFIX
        return context


def _accept(use) -> str:
    rule = conf.use_rule(use)
    return ",".join([*rule.types, *(f".{EXTENSIONS[t]}" for t in rule.types)])


class AssetFileField(forms.FileField):
    """One file for one use (``uploads.models.AssetUse``); cleans to the UploadedFile."""

    def __init__(self, *, use, **kwargs):
        conf.use_rule(use)  # an unknown use fails when the form is defined, not when it is posted
        self.use = use
        kwargs.setdefault("widget", KeptFileInput(attrs={"accept": _accept(use)}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            asset_check_upload(uploaded_file=value, use=self.use)
        return value


class MultipleFileInput(KeptFileInput):
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


class KeepsUploads:
    """Mixin for a long form with file fields: when the form is refused (by itself or by the service, see
    ``keep_uploads``), the files chosen are kept for their owner (``uploads.services.pending_keep``) and shown
    beside their field, so that nothing is picked twice; posted again without a new choice, the kept files
    are the field's value. Pass ``uploader=request.user``; after a successful save call ``forget_kept()``."""

    def __init__(self, *args, uploader=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.uploader = uploader
        self.kept = {}
        if self.is_bound and uploader is not None and hasattr(self.data, "getlist"):
            for name in self._file_fields():
                tokens = self.data.getlist(self.add_prefix(name) + KEPT_SUFFIX)
                self._set_kept(name, pending_get(owner=uploader, field=self._key(name), tokens=tokens))

    def _file_fields(self):
        return [name for name, field in self.fields.items() if isinstance(field, AssetFileField)]

    def _key(self, name: str) -> str:
        return f"{type(self).__module__}.{type(self).__name__}.{name}"

    def _set_kept(self, name, pendings):
        self.kept[name] = pendings
        self.fields[name].widget.kept = pendings

    def full_clean(self):
        # A field left without a new choice takes the files kept for it.
        if self.is_bound and any(self.kept.values()):
            files = self.files.copy()
            for name, pendings in self.kept.items():
                key = self.add_prefix(name)
                if pendings and not any(files.getlist(key)):
                    files.setlist(key, [pending_as_upload(p) for p in pendings])
            self.files = files
        super().full_clean()
        if self._errors:
            self.keep_uploads()

    def keep_uploads(self):
        """The form is shown again with errors: keep the files chosen now (checked ones) for their owner."""
        if self.uploader is None or not hasattr(self, "cleaned_data"):
            return
        for name in self._file_fields():
            value = self.cleaned_data.get(name)
            uploads = [f for f in (value if isinstance(value, list) else [value]) if isinstance(f, UploadedFile)]
            new = [f for f in uploads if not getattr(f, "_kept", False)]
            if not new:
                continue
            pendings = []
            for uploaded_file in new:
                uploaded_file.seek(0)
                try:
                    pendings.append(pending_keep(owner=self.uploader, field=self._key(name),
                                                 uploaded_file=uploaded_file, use=self.fields[name].use))
                except ValidationError:
                    continue
                uploaded_file.seek(0)
            if pendings:
                self._set_kept(name, pendings)

    def forget_kept(self):
        """After a successful save: the kept copies are no longer needed."""
        from .services import pending_forget

        pending_forget(pendings=[p for pendings in self.kept.values() for p in pendings])
        self.kept = {}
