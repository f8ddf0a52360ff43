"""The OpenAPI file and the documentation page, in the reader's language; JSON 404 elsewhere."""

from django.shortcuts import render

from civitas.api import openapi
from civitas.api.endpoint import api_endpoint
from civitas.api.errors import not_found
from civitas.api.pagination import MAX_PAGE_SIZE, PAGE_SIZE
from civitas.organizations import links


@api_endpoint
def openapi_document(request):
    return openapi.document()


@api_endpoint
def docs_page(request):
    operations = [
        {
            "operation": operation,
            "parameters": openapi.operation_parameters(operation),
            "example": links.absolute_url(request.organization, operation.path),
        }
        for operation in openapi.available_operations()
    ]
    context = {"operations": operations, "page_size": PAGE_SIZE, "max_page_size": MAX_PAGE_SIZE}
    return render(request, "api/docs.html", context)


@api_endpoint
def unknown_address(request):
    raise not_found()
