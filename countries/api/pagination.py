"""Pages of a list: `page` and `page_size` in, `count`, `next` and `previous` out."""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination, paginate
from pydantic import ConfigDict

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
MAX_PAGE = 1_000_000  # more pages than any list has; the database refuses huge offsets


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
        page_size: int | None = Field(
            None,
            ge=1,
            description=f"Items per page: {PAGE_SIZE} by default, at most {MAX_PAGE_SIZE} "
            "(larger values are reduced to it).",
        )

    class Output(Schema):
        model_config = ConfigDict(json_schema_extra={"additionalProperties": False})

        count: int = Field(description="Items on all pages.")
        page: int
        page_size: int
        next: str | None = Field(description="The next page's URL, null on the last page.")
        previous: str | None = Field(description="The previous page's URL, null on the first.")
        items: list[Any]

    def paginate_queryset(self, queryset, pagination, request, **params):
        result = super().paginate_queryset(queryset, pagination, request, **params)
        page, page_size = pagination.page, self._get_page_size(pagination.page_size)
        last_page = max(1, -(-result["count"] // page_size))
        return {
            **result,
            "page": page,
            "page_size": page_size,
            "next": _page_url(request, page + 1) if page < last_page else None,
            "previous": _page_url(request, min(page, last_page + 1) - 1) if page > 1 else None,
        }


def _page_url(request, page):
    query = request.GET.copy()
    query["page"] = page
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginated(view):
    return paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)(view)
