"""Large files go to storage in pieces: the process never holds a video whole."""

import tracemalloc

import pytest

from uploads.models import AssetUse
from uploads.services import asset_store

from . import samples

pytestmark = pytest.mark.django_db

SIZE = 30 * 1024 * 1024


def test_a_30_mb_video_is_stored_with_little_memory(stored_files):
    uploaded = samples.temporary_upload("科普讲座.mp4", size=SIZE, head=samples.mp4_bytes(payload=0))
    original_read = uploaded.file.read

    def read(size=-1):
        assert size is not None and size > 0, "the service must never read a file whole"
        return original_read(size)

    uploaded.file.read = read

    tracemalloc.start()
    try:
        asset = asset_store(uploaded_file=uploaded, use=AssetUse.VIDEO, owner=None)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        uploaded.close()

    assert asset.size == SIZE
    assert asset.content_type == "video/mp4"
    assert stored_files()[0].stat().st_size == SIZE
    assert peak < 5 * 1024 * 1024, f"peak Python allocations {peak / 1024 / 1024:.1f} MB"


def test_a_video_over_the_cap_on_disk_leaves_nothing(settings, stored_files):
    settings.SCIDAY_UPLOAD_MAX_VIDEO_BYTES = 2 * 1024 * 1024
    uploaded = samples.temporary_upload("a.mp4", size=3 * 1024 * 1024, head=samples.mp4_bytes(payload=0))
    uploaded.size = 1024  # a size that lies: the stream still stops at the cap

    with pytest.raises(Exception) as refused:
        asset_store(uploaded_file=uploaded, use=AssetUse.VIDEO, owner=None)
    uploaded.close()

    assert refused.value.code == "too_large"
    assert stored_files() == []
