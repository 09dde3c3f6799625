"""SIPAS results through the API: aggregates only (no sheet, invitation, dossier or person)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from reform.sipas import selectors


def _num(value):
    return None if value is None else float(value)


def _results(r) -> dict:
    return {"invited": r.invited, "responded": r.responded,
            "response_rate": _num(r.response_rate),
            "elements": {k: _num(v) for k, v in r.elements.items()},
            "overall": _num(r.overall),
            # Sheets answered through a printed QR slip, and their share (audit8).
            "printed": r.printed, "printed_share": _num(r.printed_share)}


class SurveyListApi(APIView):
    """The SIPAS rounds the person's units organise."""

    @extend_schema(operation_id="reform_sipas_list", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response({"results": [
            {"id": s.pk, "name": s.name, "year": s.version.year,
             "returned_from": s.returned_from, "returned_to": s.returned_to,
             "sample_size": s.sample_size, "closes_on": s.closes_on}
            for s in selectors.surveys_visible(request.user)]})


class SurveyResultsApi(APIView):
    """A round's indices per element and overall, with the response rate, in all and per unit."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        survey = get_object_or_404(selectors.surveys_visible(request.user), pk=pk)
        return Response({
            "id": survey.pk, "name": survey.name, **_results(selectors.survey_results(survey)),
            "units": [{"code": u.code, "name": u.name, **_results(r)}
                      for u, r in selectors.survey_results_by_unit(survey)]})
