"""The volunteering API router (mounted at /api/v1/ by api/urls.py); paths are absolute from there."""

from ninja import Router

router = Router(tags=["volunteering"])
