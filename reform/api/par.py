"""PAR Index through the API: a unit's assessments and scores, self-scoring, appraisal,
actions and a round's results. Same rules as the pages (reform/par/services.py)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from reform.models import ParRound, ParScore
from reform.par import access, selectors, services


def _num(value):
    return None if value is None else float(value)


def _assessment(a) -> dict:
    return {"id": a.pk, "round": a.round_id, "round_name": a.round.name, "unit": a.unit.code,
            "unit_name": a.unit.name, "status": a.status, "self_points": _num(a.self_points),
            "final_points": _num(a.final_points), "max_points": _num(a.max_points),
            "percent": _num(a.percent), "rank": a.rank, "group": a.group}


def _score(s: ParScore) -> dict:
    c = s.criterion
    return {"id": s.pk, "code": c.code, "title": c.title, "max_points": _num(c.max_points),
            "answer_kind": c.answer_kind, "live_metric": c.live_metric, "value": s.value,
            "self_points": _num(s.self_points), "explanation": s.explanation,
            "evidence_url": s.evidence_url, "files": [f.name for f in s.files.all()],
            "live": s.live, "appraisal": s.appraisal, "final_value": s.final_value,
            "final_points": _num(s.final_points), "appraisal_reason": s.appraisal_reason}


def _get(request, pk: int):
    return get_object_or_404(access.assessments_visible(request.user), pk=pk)


class AssessmentListApi(APIView):
    """The assessments the person may read: their unit's, or every one of the rounds their
    unit organises or appraises."""

    @extend_schema(operation_id="reform_par_assessments_list", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        rows = access.assessments_visible(request.user).order_by("-round__period_year", "pk")
        return Response({"results": [_assessment(a) for a in rows[:200]]})


class AssessmentApi(APIView):
    """One assessment with its leaf scores, the points lost and its history."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        a = _get(request, pk)
        return Response({
            **_assessment(a),
            "scores": [_score(s) for s in a.scores.select_related("criterion")
                       .prefetch_related("files").order_by("criterion__order")],
            "lost": [{"code": x.criterion.code, "max_points": _num(x.max_points),
                      "points": _num(x.points), "lost": _num(x.lost),
                      "last_year": _num(x.last_year)} for x in selectors.lost_points(a)],
            "history": [{"at": e.at, "actor": e.actor, "action": e.action, "code": e.code,
                         "old_value": e.old_value, "new_value": e.new_value,
                         "old_points": _num(e.old_points), "new_points": _num(e.new_points),
                         "reason": e.reason} for e in selectors.assessment_history(a)]})


class ScoreApi(APIView):
    """The unit declares a value (with `explanation`, `evidence_url`), or the appraisal team
    sends `appraise`: "accept" / "adjust" (with `value` and `reason`)."""

    @extend_schema(request=inline_serializer("ParScoreInput", {
        "value": serializers.CharField(required=False),
        "explanation": serializers.CharField(required=False),
        "evidence_url": serializers.CharField(required=False),
        "appraise": serializers.ChoiceField(["accept", "adjust"], required=False),
        "reason": serializers.CharField(required=False)}), responses=OpenApiTypes.OBJECT)
    def post(self, request, pk: int, score_pk: int):
        a = _get(request, pk)
        score = get_object_or_404(ParScore.objects.select_related("criterion"), pk=score_pk,
                                  assessment=a)
        data = request.data
        if "appraise" in data:
            score = services.score_appraise(
                score=score, actor=request.user, accept=data.get("appraise") == "accept",
                value=str(data.get("value", "")), reason=str(data.get("reason", "")))
        else:
            score = services.score_declare(
                score=score, actor=request.user, value=str(data.get("value", "")),
                explanation=str(data.get("explanation", "")),
                evidence_url=str(data.get("evidence_url", "")))
        return Response(_score(score))


ACTIONS = {"submit": services.assessment_submit, "refresh": services.live_refresh,
           "return": services.assessment_return, "finish": services.assessment_finish}


class ActionApi(APIView):
    """submit (the unit), refresh (live figures), return (with `reason`) and finish (the
    appraisal team)."""

    @extend_schema(request=inline_serializer("ParActionInput", {
        "reason": serializers.CharField(required=False)}), responses=OpenApiTypes.OBJECT)
    def post(self, request, pk: int, action: str):
        a = _get(request, pk)
        if action not in ACTIONS:
            raise Http404
        kwargs = {"assessment": a, "actor": request.user}
        if action == "return":
            kwargs["reason"] = str(request.data.get("reason", ""))
        ACTIONS[action](**kwargs)
        return Response(_assessment(_get(request, pk)))


class RoundApi(APIView):
    """A round's results: every unit for its organiser and appraisers; after publication the
    ranking for its units too."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        par_round = get_object_or_404(access.rounds_visible(request.user), pk=pk)
        staff = access.is_organiser(request.user, par_round) or access.is_appraiser(
            request.user, par_round)
        rows = selectors.round_results(par_round)
        if not staff and par_round.status != ParRound.Status.PUBLISHED:
            mine = access.filler_unit_ids(request.user)
            rows = [r for r in rows if r.unit_id in mine]
        return Response({"id": par_round.pk, "name": par_round.name, "status": par_round.status,
                         "results": [_assessment(a) for a in rows]})


class RoundPublishApi(APIView):
    """The organiser publishes a round once every assessment is appraised: final points, rank
    and group of every unit, together (409 `not_appraised` before)."""

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request, pk: int):
        par_round = get_object_or_404(access.rounds_visible(request.user), pk=pk)
        if not access.is_organiser(request.user, par_round):
            raise Http404  # as the round's page: only its organiser sees the action
        par_round = services.round_publish(par_round=par_round, actor=request.user)
        return Response({"id": par_round.pk, "name": par_round.name,
                         "status": par_round.status,
                         "results": [_assessment(a) for a in selectors.round_results(par_round)]})
