"""The HTTP JSON API for club software: the interchange contract of ``docs/guide.md`` over
HTTP, described by the OpenAPI document at ``/openapi.json``.

- ``POST /api/plan``: a problem -> the plan (the ``Result`` JSON of ``seating plan --json``);
- ``POST /api/explain``: a problem and its plan -> why people sit where they sit;
- ``POST /api/reseat``: a problem, the draft seating and pins -> the plan with fewest moves.

The body is validated by the same models as the command line; a bad one answers HTTP 422
with one line naming the field (``{"detail": "dinners[0].tables[1].capacity: ..."}``), as
``seating plan`` prints it. The searches run in FastAPI's worker threads, never on the event
loop. Bodies must be ``application/json`` (HTTP 415 otherwise): a page of another site cannot
send that without a CORS preflight, which this app never grants.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from seating.adjust import reseat as reseat_plan
from seating.explain import explain as explain_plan
from seating.models import ProblemInput
from seating.result import Result
from seating.solve import solve

MAX_SECONDS = 600.0
"""The longest search one request may ask for."""


async def json_only(request: Request) -> None:
    kind = request.headers.get("content-type", "")
    if not kind.split(";")[0].strip().lower() == "application/json":
        raise HTTPException(415, f"send the body as application/json (got {kind or 'none'!r})")


router = APIRouter(prefix="/api", tags=["API"], dependencies=[Depends(json_only)])

TimeLimit = Query(10.0, gt=0, le=MAX_SECONDS, description="Seconds for the whole request.")
Seed = Query(0, ge=0, description="Random seed: the same seed gives the same plan.")


def _json(result: Result) -> Response:
    return Response(result.to_json(), media_type="application/json")


@router.post("/plan", response_model=Result, summary="Plan the dinners of a problem")
def plan(
    problem: ProblemInput,
    method: Literal["auto", "cpsat", "local"] = "auto",
    time_limit: float = TimeLimit,
    seed: int = Seed,
) -> Response:
    """Plan every dinner of ``problem`` (one dinner, or a season planned jointly). The answer
    is the plan contract; without a feasible plan its ``status`` is ``infeasible`` (or
    ``timeout``) and ``reason`` names the clashing rules."""
    return _json(solve(problem, method=method, time_limit=time_limit, seed=seed))


class ExplainRequest(BaseModel):
    """A problem and a plan of it (as ``/api/plan`` answered)."""

    model_config = ConfigDict(extra="forbid")

    problem: ProblemInput
    plan: Result
    dinner: int = Field(0, ge=0, description="Which dinner of the plan (index).")


@router.post("/explain", summary="Why people sit where they sit")
def explain(request: ExplainRequest) -> dict[str, Any]:
    """Per table and per member: who met before, how often, the rules that shaped the table,
    and each pair's term of the objective."""
    return explain_plan(request.problem, request.plan, dinner=request.dinner).to_dict()


class ReseatRequest(BaseModel):
    """The dinner as it is now (attendees after cancellations and walk-ins) and its draft."""

    model_config = ConfigDict(extra="forbid")

    problem: ProblemInput
    draft: dict[str, str] = Field(description="Member id -> table id of the draft plan.")
    pins: dict[str, str] = Field(default_factory=dict, description="Member id -> table id.")


@router.post("/reseat", summary="Re-seat with fewest moves")
def reseat(request: ReseatRequest, time_limit: float = TimeLimit, seed: int = Seed):
    """Re-seat the first dinner of ``problem`` moving as few people of ``draft`` as the rules
    allow (proven by CP-SAT unless the time limit cut the proof short: ``minimal``)."""
    found = reseat_plan(
        request.problem, request.draft, request.pins, time_limit=time_limit, seed=seed
    )
    return {
        "result": found.result.model_dump(mode="json"),
        "moves": [_move(m) for m in found.moves],
        "seated": [_move(m) for m in found.seated],
        "minimal": found.minimal,
    }


def _move(move: Any) -> dict[str, Any]:
    return {
        "member": move.member,
        "name": move.name,
        "from_table": move.from_table,
        "to_table": move.to_table,
        "why": move.why,
    }
