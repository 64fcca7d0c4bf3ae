import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every upload test writes to its own empty MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def stored_files(media_root):
    """``stored_files()``: every file under MEDIA_ROOT, so a test can assert that nothing was left behind."""

    def _files():
        return sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []

    return _files
