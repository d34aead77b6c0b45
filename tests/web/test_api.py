"""The HTTP JSON API: the contract over HTTP, the same one-line errors as the command line
(HTTP 422 naming the field), the OpenAPI description; FastAPI's test client on the real app."""

from __future__ import annotations

import json

import pytest

from bad_inputs import BAD_INPUTS, BadInput
from helpers import load
from seating.compile.objective import objective, violations
from seating.compile.plans import table_index
from seating.compile.problem import compile_dinner
from seating.models import ProblemInput
from seating.solve import solve

JSON = {"content-type": "application/json"}
QUICK = {"seed": 1, "workers": 1, "time_limit": 60}
"""One CP-SAT worker keeps runs reproducible; small dinners are proven optimal long before the
limit, which only guards against a hang."""


def _post(client, url: str, body, **params):
    text = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, content=text, headers=JSON, params=params)


def _seating(plan: dict) -> dict[str, str]:
    return {m: t["id"] for t in plan["dinners"][0]["tables"] for m in t["members"]}


def test_plan_is_the_proven_optimum_and_holds_every_rule(client):
    data = load("small_club.json")
    answer = _post(client, "/api/plan", data, seed=1, workers=1, time_limit=60)
    assert answer.status_code == 200, answer.text
    plan = answer.json()
    assert plan["status"] == "optimal"
    problem = ProblemInput.from_dict(data)
    exact = solve(problem, method="cpsat", time_limit=60, seed=1, num_workers=1)
    assert exact.status.value == "optimal"
    assert plan["objective"] == pytest.approx(exact.objective)
    seating = _seating(plan)
    dinner = compile_dinner(problem, 0)
    assert sorted(seating) == sorted(dinner.member_ids)  # every attendee seated once
    table_of = table_index(dinner, seating, strict=True)
    assert violations(dinner, table_of) == []
    assert objective(dinner, table_of) == pytest.approx(plan["objective"])


@pytest.mark.parametrize("case", BAD_INPUTS, ids=lambda c: c.name)
def test_bad_problem_answers_422_with_the_command_lines_line(client, case: BadInput):
    answer = _post(client, "/api/plan", case.text)
    assert answer.status_code == 422, answer.text
    detail = answer.json()["detail"]
    assert isinstance(detail, str) and "\n" not in detail
    for word in case.expect:
        assert word in detail, f"{word!r} missing from {detail!r}"


def test_bad_query_parameter_names_it(client):
    answer = _post(client, "/api/plan", load("small_club.json"), time_limit=0)
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith("time_limit: ")
    answer = _post(client, "/api/plan", load("small_club.json"), method="fast")
    assert answer.status_code == 422
    assert "method" in answer.json()["detail"]


def test_a_form_post_is_refused(client):
    """A page of another site can post a form, but not JSON: the API takes JSON only."""
    answer = client.post("/api/plan", content=json.dumps(load("small_club.json")),
                         headers={"content-type": "text/plain"})  # fmt: skip
    assert answer.status_code == 415


def test_explain_names_the_pairs_who_met(client):
    data = load("small_club.json")
    plan = _post(client, "/api/plan", data, **QUICK).json()
    answer = _post(client, "/api/explain", {"problem": data, "plan": plan})
    assert answer.status_code == 200, answer.text
    told = answer.json()
    seated = sorted(m for t in told["tables"] for m in t["members"])
    assert seated == sorted(_seating(plan))
    # The tables' terms add up to the plan's objective.
    assert sum(t["pair_cost"] + t["fairness_cost"] for t in told["tables"]) == pytest.approx(
        plan["objective"]
    )


def test_explain_refuses_a_plan_of_another_problem(client):
    data = load("small_club.json")
    plan = _post(client, "/api/plan", data, **QUICK).json()
    plan["dinners"][0]["tables"][0]["members"].append("ghost")
    answer = _post(client, "/api/explain", {"problem": data, "plan": plan})
    assert answer.status_code == 422
    assert "'ghost'" in answer.json()["detail"]
    answer = _post(client, "/api/explain", {"problem": data, "plan": plan, "extra": 1})
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith("extra:")


def test_reseat_moves_nobody_when_a_guest_cancels(client):
    data = load("small_club.json")
    plan = _post(client, "/api/plan", data, **QUICK).json()
    draft = _seating(plan)
    gone = next(m for m in draft if m not in ("m1", "m2", "m7"))  # not a host or in a group
    data["dinners"][0]["attendees"] = [m for m in draft if m != gone]
    answer = _post(client, "/api/reseat", {"problem": data, "draft": draft})
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert found["minimal"] is True
    assert found["moves"] == []  # a cancellation frees a seat: every rule still holds
    after = _seating(found["result"])
    assert after == {m: t for m, t in draft.items() if m != gone}


def test_openapi_describes_the_api_and_no_page_loads_a_cdn(client):
    document = client.get("/openapi.json").json()
    assert {"/api/plan", "/api/explain", "/api/reseat"} <= set(document["paths"])
    body = document["paths"]["/api/plan"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/ProblemInput"}
    schemas = document["components"]["schemas"]
    assert {"ProblemInput", "Member", "Dinner", "Table", "Result"} <= set(schemas)
    assert client.get("/docs").status_code == 404  # Swagger UI would load from a CDN
