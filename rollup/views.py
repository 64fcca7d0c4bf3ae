"""The roll-up pages: at a province, the cities' packages (overview), the upward links, the upload by hand,
the review queue (择优纳入) and the cities' role models; at a city, the link to the province with 「上报」 and
「获取省级决定」."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import require
from campaigns.selectors import chosen_campaign_light
from core.exceptions import TransitionNotAllowed
from core.pagination import paginate

from . import client, levels, selectors, services
from .forms import DecisionForm, LinkCreateForm, PackageUploadForm, ProvinceLinkForm
from .models import Decision, ProvinceLink, ReceivedFile, ReceivedRecord, UpwardLink


def _campaign(request, *, receiving: bool | None = None):
    campaign = chosen_campaign_light(request)
    if campaign is None:
        raise Http404
    require(request.user, "rollup.manage", campaign)
    if receiving is True and not levels.receives():
        raise Http404
    if receiving is False and not levels.sends():
        raise Http404
    return campaign


@login_required
def home(request):
    return redirect("rollup:overview" if levels.receives() else "rollup:province")


@login_required
def overview(request):
    campaign = _campaign(request, receiving=True)
    rows = selectors.overview(campaign=campaign)
    return render(request, "rollup/overview.html", {
        "campaign": campaign, "rows": rows, "completeness": selectors.completeness(rows),
        "totals_labels": [_("Activities"), _("Held"), _("Participants"), _("Online views"), _("Check-ins"),
                          _("Media reports"), _("Recommended upward")]})


@login_required
def links(request):
    campaign = _campaign(request, receiving=True)
    form = LinkCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link, token = services.link_create(actor=request.user, campaign=campaign, unit=form.cleaned_data["unit"],
                                               sender_campaign=form.cleaned_data["sender_campaign"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(request, "rollup/link_token.html", {"campaign": campaign, "link": link, "token": token})
    rows = UpwardLink.objects.filter(campaign=campaign).select_related("unit")
    return render(request, "rollup/links.html", {"campaign": campaign, "form": form,
                                                 "page_obj": paginate(request, rows)})


@login_required
@require_POST
def link_revoke(request, pk: int):
    campaign = _campaign(request, receiving=True)
    link = get_object_or_404(UpwardLink, pk=pk, campaign=campaign)
    services.link_revoke(actor=request.user, link=link)
    messages.success(request, _("The link of %(unit)s was revoked.") % {"unit": link.unit.name})
    return redirect("rollup:links")


@login_required
def upload(request):
    campaign = _campaign(request, receiving=True)
    form = PackageUploadForm(request.POST or None, request.FILES or None)
    summary = refusal = None
    if request.method == "POST" and form.is_valid():
        package = form.cleaned_data["package"]
        try:
            summary = services.package_import(fileobj=package, campaign=campaign, actor=request.user,
                                              dry_run=form.cleaned_data["dry_run"])
        except services.PackageRefused as exc:
            refusal = exc
    return render(request, "rollup/upload.html", {"campaign": campaign, "form": form, "summary": summary,
                                                  "refusal": refusal}, status=422 if refusal else 200)


@login_required
def queue(request):
    campaign = _campaign(request, receiving=True)
    decision = request.GET.get("decision", "")
    records = selectors.review_queue(campaign=campaign, decision=decision)
    return render(request, "rollup/queue.html", {"campaign": campaign, "page_obj": paginate(request, records),
                                                 "decision": decision, "decisions": Decision.choices})


def _record(request, pk):
    campaign = _campaign(request, receiving=True)
    return get_object_or_404(ReceivedRecord.objects.select_related("package__unit", "campaign"), pk=pk,
                             campaign=campaign)


@login_required
def record(request, pk: int):
    found = _record(request, pk)
    files = {f.path: f for f in found.files.all()}
    photos = [files[p["file"]] for p in found.data.get("photos", []) if p["file"] in files]
    video = files.get((found.data.get("video") or {}).get("file", ""))
    return render(request, "rollup/record.html", {"record": found, "photos": photos, "video": video,
                                                  "form": DecisionForm()})


@login_required
def decide(request, pk: int, action: str):
    found = _record(request, pk)
    if action not in ("select", "decline", "reopen"):
        raise Http404
    form = DecisionForm(request.POST or None)
    titles = {"select": _("Select as a provincial key activity (择优纳入)"), "decline": _("Do not select"),
              "reopen": _("Reopen the decision")}
    if request.method == "POST" and form.is_valid():
        try:
            services.record_decide(actor=request.user, record=found, action=action,
                                   reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for message in (exc.message_dict.get("reason", []) if hasattr(exc, "error_dict") else exc.messages):
                form.add_error("reason", message)
        except TransitionNotAllowed as exc:
            messages.error(request, str(exc))
            return redirect("rollup:record", pk=found.pk)
        else:
            messages.success(request, _("Decision recorded; the city sees it when it fetches the decisions."))
            return redirect("rollup:record", pk=found.pk)
    return render(request, "core/confirm.html", {
        "title": titles[action], "form": form, "button_label": titles[action],
        "button_class": "primary" if action == "select" else "danger",
        "question": _("%(action)s: %(title)s (%(city)s)") % {"action": titles[action], "title": found.title,
                                                             "city": found.package.unit.name},
        "cancel_url": reverse("rollup:record", args=[found.pk])})


@login_required
def role_models(request):
    campaign = _campaign(request, receiving=True)
    return render(request, "rollup/role_models.html", {
        "campaign": campaign, "page_obj": paginate(request, selectors.role_models(campaign=campaign))})


@login_required
def received_file(request, pk: int):
    campaign = _campaign(request, receiving=True)
    found = get_object_or_404(ReceivedFile.objects.select_related("package"), pk=pk, package__campaign=campaign)
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    response["Content-Disposition"] = f'inline; filename="{found.path.rsplit("/", 1)[-1]}"'
    return response


@login_required
def province(request):
    campaign = _campaign(request, receiving=False)
    link = ProvinceLink.objects.filter(campaign=campaign).first()
    form = ProvinceLinkForm(request.POST or None, initial={"address": link.address if link else ""})
    if request.method == "POST" and form.is_valid():
        if link is None and not form.cleaned_data["token"]:
            form.add_error("token", _("Enter the token the province gave you."))
        else:
            services.province_link_save(actor=request.user, campaign=campaign, address=form.cleaned_data["address"],
                                        token=form.cleaned_data["token"])
            messages.success(request, _("The link to the province was saved."))
            return redirect("rollup:province")
    return render(request, "rollup/province.html", {"campaign": campaign, "link": link, "form": form,
                                                    "counts": selectors.province_decision_counts(campaign=campaign)})


@login_required
@require_POST
def push(request):
    campaign = _campaign(request, receiving=False)
    link = get_object_or_404(ProvinceLink, campaign=campaign)
    try:
        result = client.push(actor=request.user, link=link, dry_run=request.POST.get("dry_run") == "1")
    except client.PushFailed as exc:
        messages.error(request, _("The province refused or could not be reached: %(reason)s") % {"reason": exc.message})
    else:
        counts = result.get("counts", {})
        messages.success(request, _("Reported to the province: %(new)d new, %(updated)d updated, %(unchanged)d "
                                    "unchanged records.") % {"new": counts.get("new", 0),
                                                             "updated": counts.get("updated", 0),
                                                             "unchanged": counts.get("unchanged", 0)})
    return redirect("rollup:province")


@login_required
@require_POST
def pull(request):
    campaign = _campaign(request, receiving=False)
    link = get_object_or_404(ProvinceLink, campaign=campaign)
    try:
        result = client.pull(actor=request.user, link=link)
    except client.PushFailed as exc:
        messages.error(request, _("The decisions could not be fetched: %(reason)s") % {"reason": exc.message})
    else:
        messages.success(request, _("Decisions of the province fetched: %(n)d new or changed.") % {
            "n": result["applied"]})
    return redirect("rollup:province")
