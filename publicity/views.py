"""Publicity pages: the public gallery of short videos (and the phone submission), posters, articles and media
coverage; and the staff pages where organisers review and units make and register. Thin: rules are in services."""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.permissions import can, is_organiser
from campaigns.selectors import chosen_campaign, current_campaign
from core.decorators import permission_required, public_view
from core.device import device_id, with_device
from core.exceptions import TransitionNotAllowed
from core.forms import show_errors
from core.pagination import paginate
from core.throttle import throttle_allow

from . import selectors, services
from .forms import (
    ArticleForm,
    CityInitiativeForm,
    CoverageForm,
    PosterForm,
    PosterTemplateForm,
    ReturnForm,
    ReviewFilterForm,
    VideoFilterForm,
    VideoSubmitForm,
)
from .models import ArticleKind, Coverage, CoverageLevel, Video, VideoState

STATUS_SALT = "publicity.video.status"


def _campaign(request, *, staff: bool = False):
    """The current campaign for the public; on staff pages the one chosen in the page frame."""
    campaign = chosen_campaign(request) if staff else current_campaign()
    if campaign is None:
        raise Http404
    return campaign


def _limit(name: str, default: int) -> int:
    from django.conf import settings

    return int(getattr(settings, name, default))


# --- public: short videos ----------------------------------------------------------------------------------------

@public_view
def video_gallery(request):
    campaign = _campaign(request)
    form = VideoFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    page = paginate(request, selectors.video_gallery(campaign=campaign, **filters))
    return render(request, "publicity/video_gallery.html", {
        "campaign": campaign, "filter_form": form, "page_obj": page, "videos": page.object_list,
        "filtered": bool(filters.get("field") or filters.get("unit"))})


@public_view
@require_safe
def video_detail(request, pk: int):
    video = selectors.video_public_get(pk=pk)
    return render(request, "publicity/video_detail.html", {
        "video": video, "coverage": list(video.coverage.order_by("-published_on")[:20]),
        "share_url": request.build_absolute_uri(video.get_absolute_url()),
        "share_image": request.build_absolute_uri(video.poster.get_absolute_url()) if video.poster else ""})


@public_view
@require_POST
def video_played(request, pk: int):
    """Counted by the page's script when the video starts playing (a view is a play, not a page load)."""
    video = selectors.video_public_get(pk=pk)
    if request.POST.get("played") != "1":
        return JsonResponse({"counted": False}, status=400)
    counted = throttle_allow(request, scope="publicity.played", limit=_limit("SCIDAY_VIDEO_PLAY_LIMIT", 300),
                             window_seconds=3600)
    if counted:
        services.video_viewed(video=video)
    return JsonResponse({"counted": counted})


@public_view
@require_POST
@with_device
def video_like(request, pk: int):
    video = selectors.video_public_get(pk=pk)
    if request.POST.get("like") != "1":
        return redirect(video.get_absolute_url())
    if not throttle_allow(request, scope="publicity.like", limit=_limit("SCIDAY_VIDEO_LIKE_LIMIT", 60),
                          window_seconds=3600):
        messages.error(request, _("Too many likes from this network; please try again later."))
    elif services.video_like(video=video, device=device_id(request)):
        messages.success(request, _("Thank you for your like."))
    else:
        messages.info(request, _("You have already liked this video on this device."))
    return redirect(video.get_absolute_url())


@public_view
@with_device
def video_submit(request):
    campaign = _campaign(request)
    user = request.user if request.user.is_authenticated else None
    form = VideoSubmitForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST":
        if not throttle_allow(request, scope="publicity.video_submit",
                              limit=_limit("SCIDAY_VIDEO_SUBMIT_LIMIT", 20), window_seconds=3600):
            form.add_error(None, _("Too many uploads from this network; please try again later."))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                video = services.video_submit(campaign=campaign, data={**data, "consent": data.get("consent")},
                                              uploaded_file=request.FILES.get("video"), actor=user,
                                              unit=data.get("unit"))
            except ValidationError as error:
                show_errors(form, error)
            else:
                token = signing.dumps(video.pk, salt=STATUS_SALT)
                return redirect("publicity:video_status", token=token)
    return render(request, "publicity/video_submit.html", {
        "form": form, "campaign": campaign, "max_seconds": services.video_max_seconds(),
        "max_mb": services.video_max_bytes() // services.MB})


def _video_from_token(token: str) -> Video:
    try:
        pk = signing.loads(token, salt=STATUS_SALT, max_age=30 * 24 * 3600)
    except signing.BadSignature:
        raise Http404 from None
    return get_object_or_404(Video.objects.select_related("mp4", "poster"), pk=pk)


@public_view
def video_status(request, token: str):
    """The submitter's page: transcoding progress, then the review's outcome (refreshes itself while it runs)."""
    video = _video_from_token(token)
    if request.GET.get("format") == "json":
        return JsonResponse({"state": video.state, "state_label": video.get_state_display(),
                             "progress": video.progress})
    return render(request, "publicity/video_status.html", {"video": video, "token": token})


# --- public: posters, articles, coverage -------------------------------------------------------------------------

@public_view
def poster_gallery(request):
    campaign = _campaign(request)
    page = paginate(request, selectors.poster_gallery(campaign=campaign))
    return render(request, "publicity/poster_gallery.html", {"campaign": campaign, "page_obj": page,
                                                             "posters": page.object_list})


@public_view
def article_list(request):
    campaign = _campaign(request)
    kind = request.GET.get("kind", "") if request.GET.get("kind") in ArticleKind.values else ""
    page = paginate(request, selectors.article_list(campaign=campaign, kind=kind))
    return render(request, "publicity/article_list.html", {
        "campaign": campaign, "page_obj": page, "articles": page.object_list, "kind": kind,
        "kinds": ArticleKind.choices})


@public_view
@require_safe
def article_detail(request, pk: int):
    article = selectors.article_public_get(pk=pk)
    return render(request, "publicity/article_detail.html", {"article": article})


@public_view
def coverage_list(request):
    campaign = _campaign(request)
    level = request.GET.get("level", "") if request.GET.get("level") in CoverageLevel.values else ""
    page = paginate(request, selectors.coverage_list(campaign=campaign, level=level))
    return render(request, "publicity/coverage_list.html", {
        "campaign": campaign, "page_obj": page, "items": page.object_list, "level": level,
        "levels": CoverageLevel.choices})


# --- staff -------------------------------------------------------------------------------------------------------

@permission_required("publicity.unit")
def manage_home(request):
    campaign = _campaign(request, staff=True)
    organiser = is_organiser(request.user)
    return render(request, "publicity/manage_home.html", {
        "campaign": campaign, "organiser": organiser,
        "to_review": selectors.videos_for_review(campaign=campaign, state=VideoState.SUBMITTED).count()
        if organiser else 0,
        "my_videos": [] if organiser else list(selectors.videos_of_user(user=request.user, campaign=campaign)[:20]),
        "templates": list(selectors.poster_templates(campaign=campaign)),
    })


@permission_required("publicity.manage")
def video_review_list(request):
    campaign = _campaign(request, staff=True)
    form = ReviewFilterForm(request.GET or None)
    state = form.cleaned_data.get("state", "") if request.GET and form.is_valid() else ""
    page = paginate(request, selectors.videos_for_review(campaign=campaign, state=state))
    return render(request, "publicity/video_review_list.html", {"filter_form": form, "page_obj": page,
                                                                "videos": page.object_list})


@permission_required("publicity.manage")
def video_review(request, pk: int):
    video = get_object_or_404(Video.objects.select_related("mp4", "poster", "unit"), pk=pk)
    return_form = ReturnForm()
    return render(request, "publicity/video_review.html", {"video": video, "return_form": return_form})


@permission_required("publicity.manage")
@require_POST
def video_action(request, pk: int, action: str):
    video = get_object_or_404(Video, pk=pk)
    try:
        if action in ("feature", "unfeature"):
            services.video_feature(actor=request.user, video=video, featured=action == "feature")
        elif action in ("approve", "return"):
            services.video_review(actor=request.user, video=video, action=action, reason=request.POST.get("reason", ""))
        else:
            raise Http404
    except (ValidationError, TransitionNotAllowed) as error:
        message = error.message if isinstance(error, TransitionNotAllowed) else "；".join(error.messages)
        messages.error(request, message)
    else:
        messages.success(request, _("Saved."))
    return redirect("publicity:video_review", pk=pk)


@permission_required("publicity.manage")
def template_create(request):
    campaign = _campaign(request, staff=True)
    form = PosterTemplateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.poster_template_create(
                actor=request.user, campaign=campaign, name=data["name"],
                background_file=request.FILES.get("background_file"), text_color=data["text_color"],
                positions={k: data[k] for k in services.TEMPLATE_POSITIONS})
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The template is offered to units."))
            return redirect("publicity:manage")
    return render(request, "publicity/form.html", {"form": form, "title": _("New poster template"),
                                                   "multipart": True})


@permission_required("publicity.unit")
def poster_create(request):
    campaign = _campaign(request, staff=True)
    form = PosterForm(request.POST or None, user=request.user, campaign=campaign,
                      initial={"theme": campaign.theme if hasattr(campaign, "theme") else "",
                               "date_text": campaign.key_day.strftime("%Y-%m-%d") if campaign.key_day else ""})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            poster = services.poster_make(actor=request.user, template=data["template"], unit=data["unit"],
                                          theme=data["theme"], date_text=data["date_text"], target=data["target"],
                                          base_url=request.build_absolute_uri("/")[:-1])
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The poster is made: download it as PNG for WeChat or PDF for print."))
            return render(request, "publicity/poster_made.html", {"poster": poster})
    return render(request, "publicity/form.html", {"form": form, "title": _("Make a 5·30 poster")})


@permission_required("publicity.unit")
def article_create(request):
    campaign = _campaign(request, staff=True)
    form = ArticleForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            article = services.article_register(actor=request.user, campaign=campaign, data=data,
                                                pdf_file=request.FILES.get("pdf"), unit=data["unit"])
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Registered."))
            return redirect(article.get_absolute_url())
    return render(request, "publicity/form.html", {"form": form, "title": _("Register a published article"),
                                                   "multipart": True})


@permission_required("publicity.manage")
def initiative_create(request):
    campaign = _campaign(request, staff=True)
    form = CityInitiativeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_register(actor=request.user, campaign=campaign, data=form.cleaned_data,
                                                pdf_file=request.FILES.get("pdf"), city=True)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Published."))
            return redirect(article.get_absolute_url())
    return render(request, "publicity/form.html", {"form": form, "title": _("Publish the city's initiative"),
                                                   "multipart": True})


@permission_required("publicity.unit")
def coverage_manage(request):
    campaign = _campaign(request, staff=True)
    form = CoverageForm(request.POST or None, user=request.user, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.coverage_record(actor=request.user, campaign=campaign, data=form.cleaned_data,
                                     unit=form.cleaned_data.get("unit"))
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                raise
            show_errors(form, error)
        else:
            messages.success(request, _("The coverage is recorded."))
            return redirect("publicity:coverage_manage")
    page = paginate(request, selectors.coverage_visible_to(user=request.user, campaign=campaign))
    return render(request, "publicity/coverage_manage.html", {"form": form, "page_obj": page,
                                                              "items": page.object_list})


@permission_required("publicity.unit")
@require_POST
def coverage_delete(request, pk: int):
    coverage = get_object_or_404(Coverage.objects.select_related("unit"), pk=pk)
    if not (is_organiser(request.user) or (coverage.unit and can(request.user, "publicity.unit", coverage.unit))):
        raise Http404
    services.coverage_delete(actor=request.user, coverage=coverage)
    messages.success(request, _("Deleted."))
    return redirect("publicity:coverage_manage")


def status_url(video: Video) -> str:
    return reverse("publicity:video_status", kwargs={"token": signing.dumps(video.pk, salt=STATUS_SALT)})
