"""ffprobe and ffmpeg for short videos: what a file really is (by content, never by its name), and the
phone-friendly H.264/AAC MP4 with a poster frame that the gallery plays."""

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# Containers ffprobe may report for a phone or camera video (ffprobe's format names).
VIDEO_CONTAINERS = ("mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "avi", "flv", "mpegts", "mpeg")
VIDEO_CODECS = frozenset({"h264", "hevc", "vp8", "vp9", "av1", "mpeg4", "mpeg2video", "mpeg1video", "h263",
                          "msmpeg4v3", "wmv2", "wmv3", "flv1", "mjpeg", "prores", "theora"})


def ffmpeg_available() -> bool:
    return bool(shutil.which(ffprobe_binary()) and shutil.which(ffmpeg_binary()))


def ffprobe_binary() -> str:
    return getattr(settings, "SCIDAY_FFPROBE", "ffprobe")


def ffmpeg_binary() -> str:
    return getattr(settings, "SCIDAY_FFMPEG", "ffmpeg")


@dataclass(frozen=True)
class Probe:
    container: str
    video_codec: str
    has_audio: bool
    duration: float
    width: int
    height: int


def probe(path: str | Path) -> Probe | None:
    """What ``path`` is as a video, or None if it is not one (no video stream ffprobe can read)."""
    try:
        result = subprocess.run(  # noqa: S603 - fixed binary, the path is ours
            [ffprobe_binary(), "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)],
            capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    try:
        info = json.loads(result.stdout or b"{}")
    except ValueError:
        return None
    fmt = info.get("format") or {}
    container = fmt.get("format_name", "")
    streams = info.get("streams") or []
    video = next((s for s in streams if s.get("codec_type") == "video"
                  and not (s.get("disposition") or {}).get("attached_pic")), None)
    if container not in VIDEO_CONTAINERS or video is None or video.get("codec_name") not in VIDEO_CODECS:
        return None
    try:
        duration = float(fmt.get("duration") or video.get("duration") or 0)
    except (TypeError, ValueError):
        duration = 0.0
    return Probe(container=container, video_codec=video["codec_name"],
                 has_audio=any(s.get("codec_type") == "audio" for s in streams), duration=duration,
                 width=int(video.get("width") or 0), height=int(video.get("height") or 0))


def transcode(source: str | Path, target: str | Path, *, duration: float, on_progress=None) -> None:
    """``source`` as H.264/AAC MP4 at a phone-friendly bitrate (at most 720 px wide, about 1.2 Mbit/s), moov
    first so a phone starts playing at once. ``on_progress(percent)`` is called while it runs."""
    bitrate = int(getattr(settings, "SCIDAY_VIDEO_BITRATE_KBPS", 1200))
    command = [
        ffmpeg_binary(), "-y", "-v", "error", "-nostdin", "-i", str(source),
        "-map", "0:v:0", "-map", "0:a:0?",
        "-vf", "scale='min(720,iw)':-2,format=yuv420p",
        "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main", "-b:v", f"{bitrate}k",
        "-maxrate", f"{bitrate * 3 // 2}k", "-bufsize", f"{bitrate * 2}k",
        "-c:a", "aac", "-b:a", "96k", "-ac", "2", "-movflags", "+faststart",
        "-progress", "pipe:1", str(target),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    last = -1
    for line in process.stdout:
        if line.startswith("out_time_us=") and duration > 0 and on_progress is not None:
            try:
                percent = min(99, int(int(line.split("=", 1)[1]) / 1_000_000 / duration * 100))
            except ValueError:
                continue
            if percent >= last + 10:
                last = percent
                on_progress(percent)
    stderr = process.stderr.read()
    if process.wait(timeout=3600) != 0:
        raise RuntimeError(f"ffmpeg failed: {stderr[-500:]}")


def poster_frame(source: str | Path, target: str | Path, *, duration: float) -> None:
    """A JPEG frame from a second in (or the middle of a shorter video)."""
    at = f"{min(1.0, duration / 2):.2f}"
    result = subprocess.run(  # noqa: S603
        [ffmpeg_binary(), "-y", "-v", "error", "-nostdin", "-ss", at, "-i", str(source), "-frames:v", "1",
         "-q:v", "4", str(target)], capture_output=True, timeout=120, check=False)
    if result.returncode != 0 or not Path(target).exists():
        raise RuntimeError(f"ffmpeg poster frame failed: {result.stderr[-500:]!r}")


def make_test_video(target: str | Path, *, seconds: float = 2, size: str = "320x240", codec: str = "libx264",
                    audio: bool = True) -> Path:
    """A small real video (test pattern and a tone) for tests and the demo; the container follows the suffix."""
    command = [ffmpeg_binary(), "-y", "-v", "error", "-nostdin", "-f", "lavfi",
               "-i", f"testsrc=duration={seconds}:size={size}:rate=15"]
    if audio:
        command += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    command += ["-c:v", codec, "-pix_fmt", "yuv420p"]
    if audio:
        command += ["-c:a", "aac" if Path(target).suffix in (".mp4", ".mov") else "libopus"
                    if Path(target).suffix in (".mkv", ".webm") else "aac"]
    command += ["-shortest", str(target)]
    subprocess.run(command, capture_output=True, timeout=120, check=True)  # noqa: S603
    return Path(target)
