import pytest

from publicity import media


@pytest.fixture(autouse=True)
def clock(settings, tmp_path):
    settings.SCIDAY_CLOCK = "2022-05-20T10:00+08:00"
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(scope="session")
def video_files(tmp_path_factory):
    """A real 2-second MP4 (H.264/AAC) and MKV (VP9/Opus, an unusual container for a phone), a 4-second MP4,
    and a text file named .mp4."""
    if not media.ffmpeg_available():
        pytest.skip("ffmpeg is not installed")
    folder = tmp_path_factory.mktemp("videos")
    files = {
        "mp4": media.make_test_video(folder / "clip.mp4", seconds=2),
        "mkv": media.make_test_video(folder / "clip.mkv", seconds=2, codec="libvpx-vp9"),
        "long": media.make_test_video(folder / "long.mp4", seconds=4),
    }
    fake = folder / "fake.mp4"
    fake.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"not really a video " * 100)
    files["fake"] = fake
    return files
