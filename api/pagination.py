"""The API's page-number pagination: ninja's, with the page number bounded so that no request can
ask the database for an offset beyond a 64-bit integer (a 422, not a 500)."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination as NinjaPageNumberPagination
from ninja.pagination import paginate

__all__ = ["MAX_PAGE", "PageNumberPagination", "paginate"]

MAX_PAGE = 1_000_000


class PageNumberPagination(NinjaPageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, description="At most the operation's maximum; larger asks get it.")
