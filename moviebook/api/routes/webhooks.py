"""``/admin/webhooks``: endpoints that hear of bookings and cancellations (admins only).

Events: ``booking.confirmed``, ``booking.cancelled``, ``showtime.cancelled``. Each delivery is a
POST of JSON ``{id, type, created_at, data}`` with ``Moviebook-Webhook-Id``,
``Moviebook-Timestamp`` and ``Moviebook-Signature: v1=<hex HMAC-SHA256 of "{timestamp}.{body}">``
headers, retried with backoff until the receiver answers 2xx. Delivery is at least once:
receivers drop repeats by the id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from moviebook.api.deps import Address, Admin
from moviebook.api.problems import Problem
from moviebook.db import session_scope
from moviebook.models import DeliveryStatus, WebhookEvent
from moviebook.services import webhooks
from moviebook.services.paging import MAX_PAGE_SIZE

router = APIRouter(tags=["webhooks"])

REFUSALS = {401: {"model": Problem}, 403: {"model": Problem}, 422: {"model": Problem}, 429: {"model": Problem}}
WITH_404 = {**REFUSALS, 404: {"model": Problem}}

EndpointId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The endpoint's id.")]


class EndpointIn(BaseModel):
    url: str = Field(max_length=webhooks.MAX_URL_LENGTH, examples=["https://partner.example/moviebook-hooks"])
    events: list[WebhookEvent] = Field(
        min_length=1, max_length=10, examples=[["booking.confirmed", "booking.cancelled"]]
    )
    active: bool = True


class DeliveryCounts(BaseModel):
    pending: int
    delivered: int
    dead: int


class EndpointOut(BaseModel):
    id: int
    url: str
    events: list[str]
    active: bool
    created_at: datetime
    deliveries: DeliveryCounts


class NewEndpointOut(EndpointOut):
    secret: str = Field(
        description="The HMAC-SHA256 key for Moviebook-Signature. Shown only now: keep it.",
        examples=["whsec_3f1c…"],
    )


class EndpointList(BaseModel):
    items: list[EndpointOut]


class DeliveryOut(BaseModel):
    id: int
    webhook_id: str = Field(description="The Moviebook-Webhook-Id header and the body's id.")
    type: str = Field(examples=["booking.confirmed"])
    status: DeliveryStatus
    tries: int
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime
    delivered_at: datetime | None


class DeliveryList(BaseModel):
    items: list[DeliveryOut]
    total: int
    page: int
    pages: int


def _endpoint_out(row: webhooks.EndpointRow) -> dict:
    return {
        "id": row.id,
        "url": row.url,
        "events": list(row.events),
        "active": row.is_active,
        "created_at": row.created_at,
        "deliveries": DeliveryCounts(**row.deliveries),
    }


@router.get("/admin/webhooks", response_model=EndpointList, responses=REFUSALS)
def list_endpoints(me: Admin) -> EndpointList:
    """Every registered endpoint (without its secret) and how its deliveries stand."""
    with session_scope() as session:
        rows = webhooks.list_endpoints(session, me)
    return EndpointList(items=[EndpointOut(**_endpoint_out(r)) for r in rows])


@router.post(
    "/admin/webhooks",
    status_code=201,
    response_model=NewEndpointOut,
    responses={**REFUSALS, 409: {"model": Problem}},
)
def create_endpoint(body: EndpointIn, me: Admin, address: Address) -> NewEndpointOut:
    """Register an endpoint (an http or https URL). The answer carries its signing secret, once."""
    with session_scope() as session:
        made = webhooks.create_endpoint(
            session, me, url=body.url, events=[e.value for e in body.events], active=body.active, ip=address
        )
    return NewEndpointOut(**_endpoint_out(made.endpoint), secret=made.secret)


@router.delete("/admin/webhooks/{endpoint_id}", status_code=204, response_class=Response, responses=WITH_404)
def delete_endpoint(endpoint_id: EndpointId, me: Admin, address: Address) -> Response:
    """Remove an endpoint; its deliveries still waiting are not sent."""
    with session_scope() as session:
        webhooks.delete_endpoint(session, me, endpoint_id, ip=address)
    return Response(status_code=204)


@router.get("/admin/webhooks/{endpoint_id}/deliveries", response_model=DeliveryList, responses=WITH_404)
def list_deliveries(
    endpoint_id: EndpointId,
    me: Admin,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 25,
) -> DeliveryList:
    """The endpoint's deliveries, newest first: status, tries and the last error."""
    with session_scope() as session:
        found = webhooks.list_deliveries(session, me, endpoint_id, page=page, page_size=page_size)
    return DeliveryList(
        items=[
            DeliveryOut(
                id=d.id,
                webhook_id=d.webhook_id,
                type=d.event_type,
                status=d.status,
                tries=d.tries,
                last_error=d.last_error or None,
                created_at=d.created_at,
                next_attempt_at=d.next_attempt_at,
                delivered_at=d.delivered_at,
            )
            for d in found.rows
        ],
        total=found.total,
        page=found.page,
        pages=found.pages,
    )
