from civitas.api import aggregates
from civitas.api.endpoint import api_endpoint
from civitas.api.errors import not_found
from civitas.api.pagination import paginate
from civitas.api.params import id_param
from civitas.api.visibility import published_surveys


def _surveys(request):
    return published_surveys(request).select_related("component")


def _summaries(surveys) -> list[dict]:
    return [aggregates.survey_summary(survey) for survey in surveys]


@api_endpoint
def survey_list(request):
    surveys = _surveys(request)
    if (space_id := id_param(request, "space")) is not None:
        surveys = surveys.filter(component__space_id=space_id)
    return paginate(request, surveys, _summaries, ordering=("component_id",))


@api_endpoint
def survey_results(request, component_id):
    # Surveys are named by their component, as in the addresses of their pages.
    survey = _surveys(request).filter(component_id=component_id).first()
    if survey is None:
        raise not_found()
    return aggregates.survey_results(survey)
