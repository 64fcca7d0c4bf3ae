"""Background work of publicity: transcoding a submitted video."""

from django_tasks import task


@task()
def video_transcode_task(video_id: int) -> str:
    from .models import Video
    from .services import video_transcode

    video = Video.objects.filter(pk=video_id).first()
    if video is None:
        return ""
    return video_transcode(video=video).state
