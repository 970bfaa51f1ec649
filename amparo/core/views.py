from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError as BadValue
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from amparo.core.selectors import account_summary


@login_required
def account(request):
    """The user's roles, what each allows and where, and the account's safety."""
    return render(request, "core/account.html", {"summary": account_summary(request.user)})


def health(request):
    """For load balancers and the benchmarks' baseline: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    if request.path.startswith("/api/"):  # a program reads JSON, with a message
        return JsonResponse({"detail": _("There is nothing at this address of the API; see "
                                         "/api/v1/schema/ for the addresses it has.")},
                            status=404)
    return render(request, "404.html", status=404)


def error_500(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Amparo failed on this request; nothing was half-saved. "
                                         "Try again; if it fails again, tell the administrator "
                                         "the time it happened.")}, status=500)
    return render(request, "500.html", status=500)


def posted_or_404(model, request, field: str, **filters):
    """The row named by a posted id, among a model's rows or a queryset's, or 404 when the id
    is missing, malformed or not there (never a 500 for a tampered form)."""
    rows = model if isinstance(model, QuerySet) else model.objects
    try:
        return rows.get(pk=request.POST.get(field), **filters)
    except (rows.model.DoesNotExist, ValueError, TypeError, BadValue):
        raise Http404 from None
