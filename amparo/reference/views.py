from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from amparo.core.decorators import permission_required
from amparo.reference.forms import NAME_PATTERN, UbigeoWidget
from amparo.reference.models import Vocabulary
from amparo.reference.selectors import terms_of, vocabulary_list


@login_required
@require_GET
def ubigeo_picker(request):
    """The picker again, with the levels below the chosen ones filled in (HTMX)."""
    name = request.GET.get("name", "")
    if not NAME_PATTERN.match(name):
        return HttpResponseBadRequest(_("Unknown field name."))
    value = UbigeoWidget().value_from_datadict(request.GET, None, name)
    return render(request, "reference/_picker.html", {"widget_html": UbigeoWidget().render(
        name, value, attrs={"id": request.GET.get("id") or f"id_{name}"}
    )})


@permission_required("reference.view")
def vocabularies(request):
    return render(request, "reference/vocabularies.html", {"vocabularies": vocabulary_list()})


@permission_required("reference.view")
def vocabulary_detail(request, code: str):
    vocabulary = get_object_or_404(Vocabulary, code=code)
    return render(
        request,
        "reference/vocabulary_detail.html",
        {"vocabulary": vocabulary, "terms": terms_of(code, include_retired=True)},
    )
