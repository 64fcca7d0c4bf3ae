from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from uploads.forms import MultipleAssetFileField
from uploads.models import AssetUse

from .models import AttachmentKind
from .selectors import BOARD_STATUSES, LATE

TEXTAREA = {"class": "form-control", "rows": 5}


class SummaryForm(forms.Form):
    work_done = forms.CharField(label=_("Activities carried out"), required=False,
                                widget=forms.Textarea(attrs=TEXTAREA))
    results = forms.CharField(label=_("Results achieved"), required=False,
                              widget=forms.Textarea(attrs=TEXTAREA))
    experience = forms.CharField(label=_("Typical experience"), required=False,
                                 widget=forms.Textarea(attrs=TEXTAREA))
    suggestions = forms.CharField(label=_("Opinions and suggestions"), required=False,
                                  widget=forms.Textarea(attrs=TEXTAREA))


class HighlightForm(forms.Form):
    title = forms.CharField(label=_("Highlight title"), max_length=200, required=False,
                            widget=forms.TextInput(attrs={"class": "form-control"}))
    text = forms.CharField(label=_("Highlight text"), required=False,
                           widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}))
    activities = forms.ModelMultipleChoiceField(label=_("Activities drawn on"), required=False,
                                                queryset=Activity.objects.none(),
                                                widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, activities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if activities is not None:
            self.fields["activities"].queryset = activities

    def clean(self):
        data = super().clean()
        if bool((data.get("title") or "").strip()) != bool((data.get("text") or "").strip()):
            raise forms.ValidationError(_("Each highlight needs a title and a text."))
        return data


HighlightFormSet = forms.formset_factory(HighlightForm, extra=1, max_num=20)  # services.MAX_HIGHLIGHTS
# The saved highlights without an empty slot (one is added on request, 「添加亮点」).
SavedHighlightFormSet = forms.formset_factory(HighlightForm, extra=0, max_num=20)


class AttachForm(forms.Form):
    photos = MultipleAssetFileField(label=_("Summary photos"), use=AssetUse.IMAGE, max_files=20, required=False)
    videos = MultipleAssetFileField(label=_("Summary videos"), use=AssetUse.VIDEO, max_files=3, required=False)
    documents = MultipleAssetFileField(label=_("Written material (documents)"), use=AssetUse.DOCUMENT,
                                       max_files=5, required=False)

    KINDS = {"photos": AttachmentKind.PHOTO, "videos": AttachmentKind.VIDEO, "documents": AttachmentKind.DOCUMENT}

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in self.KINDS):
            raise forms.ValidationError(_("Choose at least one file to attach."))
        return data


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("What the unit should revise"), widget=forms.Textarea(attrs=TEXTAREA))


class ExtensionForm(forms.Form):
    until = forms.DateField(label=_("New summary deadline"),
                            widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    reason = forms.CharField(label=_("Reason for the extension"), widget=forms.Textarea(attrs=TEXTAREA))


def board_status_choices():
    from .reports import _state_label

    return [("", _("All units")), *((s, _state_label(s)) for s in BOARD_STATUSES), (LATE, _("Late or overdue"))]
