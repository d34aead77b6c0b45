"""The HTTP JSON API for club software: the interchange contract of ``docs/guide.md`` over
HTTP, described by the OpenAPI document at ``/openapi.json``.

- ``POST /api/plan``: a problem -> the plan (the ``Result`` JSON of ``seating plan --json``);
- ``POST /api/explain``: a problem and its plan -> why people sit where they sit;
- ``POST /api/reseat``: a problem, the draft seating and pins -> the plan with fewest moves.

The body is read and validated exactly as ``seating plan`` reads a file
(:meth:`~seating.models.ProblemInput.from_json`): a bad one answers HTTP 422 with the same
one line naming the field (``{"detail": "dinners[0].tables[1].capacity: ..."}``). The searches
run in FastAPI's worker threads, never on the event loop. Bodies must be ``application/json``
(HTTP 415 otherwise): a page of another site cannot send that without a CORS preflight, which
this app never grants.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from seating.adjust import Move
from seating.adjust import reseat as reseat_plan
from seating.errors import InputError
from seating.explain import explain as explain_plan
from seating.models import ProblemInput, describe_validation_error, load_json
from seating.result import Result
from seating.solve import solve

MAX_SECONDS = 600.0
"""The longest search one request may ask for."""


async def json_only(request: Request) -> None:
    kind = request.headers.get("content-type", "")
    if kind.split(";")[0].strip().lower() != "application/json":
        raise HTTPException(415, f"send the body as application/json (got {kind or 'none'!r})")


router = APIRouter(prefix="/api", tags=["API"], dependencies=[Depends(json_only)])

TimeLimit = Query(10.0, gt=0, le=MAX_SECONDS, description="Seconds for the whole request.")
Seed = Query(0, ge=0, description="Random seed: the same seed gives the same plan.")
Workers = Query(None, ge=1, le=64, description="CP-SAT workers (default 8); 1 is reproducible.")


class ExplainRequest(BaseModel):
    """A problem and a plan of it (as ``/api/plan`` answered)."""

    model_config = ConfigDict(extra="forbid")

    problem: ProblemInput
    plan: Result
    dinner: int = Field(0, ge=0, description="Which dinner of the plan (index).")


class ReseatRequest(BaseModel):
    """The dinner as it is now (attendees after cancellations and walk-ins) and its draft."""

    model_config = ConfigDict(extra="forbid")

    problem: ProblemInput
    draft: dict[str, str] = Field(description="Member id -> table id of the draft plan.")
    pins: dict[str, str] = Field(default_factory=dict, description="Member id -> table id.")


def _body(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI request body of ``model`` (the schemas go to the components, see
    :func:`add_schemas`); the routes read the body themselves, as the command line does."""
    ref = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": ref}}}}


def add_schemas(document: dict[str, Any]) -> dict[str, Any]:
    """Put the request models' JSON schemas into an OpenAPI document's components."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for model in (ProblemInput, ExplainRequest, ReseatRequest):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    return document


async def _read(request: Request, model: type[BaseModel]) -> Any:
    data = load_json(await request.body())
    if model is ProblemInput:
        return ProblemInput.from_dict(data)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(describe_validation_error(exc)) from None


def _json(result: Result) -> Response:
    return Response(result.to_json(), media_type="application/json")


@router.post(
    "/plan",
    response_model=Result,
    summary="Plan the dinners of a problem",
    openapi_extra=_body(ProblemInput),
)
async def plan(
    request: Request,
    method: Literal["auto", "cpsat", "local"] = "auto",
    time_limit: float = TimeLimit,
    seed: int = Seed,
    workers: int | None = Workers,
) -> Response:
    """Plan every dinner of the problem in the body (one dinner, or a season planned jointly).
    The answer is the plan contract; without a feasible plan its ``status`` is ``infeasible``
    (or ``timeout``) and ``reason`` names the clashing rules."""
    problem = await _read(request, ProblemInput)
    result = await run_in_threadpool(
        solve, problem, method=method, time_limit=time_limit, seed=seed, num_workers=workers
    )
    return _json(result)


@router.post(
    "/explain", summary="Why people sit where they sit", openapi_extra=_body(ExplainRequest)
)
async def explain(request: Request) -> dict[str, Any]:
    """Per table and per member: who met before, how often, the rules that shaped the table,
    and each pair's term of the objective."""
    asked = await _read(request, ExplainRequest)
    told = await run_in_threadpool(explain_plan, asked.problem, asked.plan, dinner=asked.dinner)
    return told.to_dict()


@router.post("/reseat", summary="Re-seat with fewest moves", openapi_extra=_body(ReseatRequest))
async def reseat(request: Request, time_limit: float = TimeLimit, seed: int = Seed):
    """Re-seat the first dinner of ``problem`` moving as few people of ``draft`` as the rules
    allow (proven by CP-SAT unless the time limit cut the proof short: ``minimal``)."""
    asked = await _read(request, ReseatRequest)
    found = await run_in_threadpool(
        reseat_plan, asked.problem, asked.draft, asked.pins, time_limit=time_limit, seed=seed
    )
    return {
        "result": found.result.model_dump(mode="json"),
        "moves": [_move(m) for m in found.moves],
        "seated": [_move(m) for m in found.seated],
        "minimal": found.minimal,
    }


def _move(move: Move) -> dict[str, Any]:
    return {
        "member": move.member,
        "name": move.name,
        "from_table": move.from_table,
        "to_table": move.to_table,
        "why": move.why,
    }
