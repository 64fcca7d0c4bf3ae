"""The participating units: organisers see all, a coordinator only their own."""

from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError

from accounts.permissions import require
from organisations.models import UnitType

from .pagination import PageNumberPagination, paginate
from .schemas import ErrorOut, UnitFilters, UnitOut
from .selectors import units_visible_to

router = Router(tags=["units"])


class UnitFilterParams(UnitFilters):
    unit_type: UnitType | None = None


@router.get("/", response=list[UnitOut], summary="Units you may see")
@paginate(PageNumberPagination, page_size=50)
def unit_list(request, filters: Query[UnitFilterParams]):
    require(request.auth, "units.list")
    units = units_visible_to(request.auth)
    if filters.unit_type:
        units = units.filter(unit_type=filters.unit_type)
    if filters.district:
        units = units.filter(district__code=filters.district)
    if filters.active is not None:
        units = units.filter(is_active=filters.active)
    if filters.q:
        units = units.filter(name__icontains=filters.q.strip())
    return units


@router.get("/{int:unit_id}", response={200: UnitOut, 404: ErrorOut}, summary="One unit")
def unit_detail(request, unit_id: int):
    # A unit the caller may not see answers exactly like one that does not exist.
    unit = units_visible_to(request.auth).filter(pk=unit_id).first()
    if unit is None:
        raise HttpError(404, _("There is no such unit, or it is not yours to see."))
    return unit
