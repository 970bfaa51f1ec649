"""Management pages for administrators: users, their roles, offices. Thin: parse, call a
service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.accounts import selectors, services
from amparo.accounts.forms import (
    OfficeForm,
    ReasonForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)
from amparo.accounts.fresh import fresh_second_factor
from amparo.accounts.models import Office, User
from amparo.core.decorators import permission_required
from amparo.core.forms import show_refusal
from amparo.core.pages import paginate
from amparo.core.views import posted_or_404


@permission_required("user.manage")
def users(request):
    filters = UserFilterForm(request.GET or None)
    found = selectors.user_list()
    if filters.is_valid():
        status = filters.cleaned_data["status"]
        found = selectors.user_list(
            search=filters.cleaned_data["q"],
            office=filters.cleaned_data["office"],
            role=filters.cleaned_data["role"],
            active={"active": True, "inactive": False}.get(status),
        )
    page = paginate(found, request.GET.get("page"))
    template = "accounts/_user_rows.html" if request.htmx else "accounts/users.html"
    return render(request, template, {"filters": filters, "page": page})


@permission_required("user.manage")
@fresh_second_factor
def user_new(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user, request=request, username=data["username"],
                password=data["password1"], first_name=data["first_name"],
                last_name=data["last_name"], email=data["email"], roles=form.role_specs(),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("User %(name)s created.") % {"name": user.username})
            return redirect("accounts:user", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@permission_required("user.manage")
@fresh_second_factor
def user_detail(request, pk: int):
    user = get_object_or_404(selectors.user_list(), pk=pk)
    form = UserEditForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(actor=request.user, request=request, user=user,
                                 first_name=data["first_name"], last_name=data["last_name"],
                                 email=data["email"], roles=form.role_specs())
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Changes saved."))
            if selectors.grants_pending_for(user).exists():
                messages.info(request, _(
                    "Roles that read case content wait for a second person's approval (a "
                    "director, or another administrator for the administrator role)."))
            return redirect("accounts:user", pk=user.pk)
    return render(request, "accounts/user_detail.html",
                  {"subject": user, "form": form, "reason_form": ReasonForm(),
                   "pending": list(selectors.grants_pending_for(user))})


@permission_required("role.approve")
@fresh_second_factor
def grants(request):
    """Roles waiting for a second person: approve or refuse each."""
    if request.method == "POST":
        grant = posted_or_404(selectors.grants_to_decide(request.user), request, "grant")
        approve = request.POST.get("decision") == "approve"
        try:
            services.grant_decide(actor=request.user, grant=grant, approve=approve,
                                  request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, (_("Role given to %(name)s.") if approve else
                                       _("Role refused for %(name)s.")) % {
                                           "name": grant.user.display_name})
        return redirect("accounts:grants")
    return render(request, "accounts/grants.html",
                  {"grants": list(selectors.grants_to_decide(request.user))})


def _user_action(request, pk: int, action, done_message: str, needs_reason: bool = True):
    user = get_object_or_404(User, pk=pk)
    form = ReasonForm(request.POST) if needs_reason else None
    if form is not None and not form.is_valid():
        messages.error(request, _("Write the reason before you confirm."))
        return redirect("accounts:user", pk=pk)
    try:
        kwargs = {"reason": form.cleaned_data["reason"]} if form is not None else {}
        action(actor=request.user, user=user, request=request, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done_message)
    return redirect("accounts:user", pk=pk)


@require_POST
@permission_required("user.manage")
def user_deactivate(request, pk: int):
    return _user_action(request, pk, services.user_deactivate,
                        _("Account deactivated; all its sessions were ended."))


@require_POST
@permission_required("user.manage")
def user_reactivate(request, pk: int):
    return _user_action(request, pk, services.user_reactivate, _("Account reactivated."),
                        needs_reason=False)


@require_POST
@permission_required("user.manage")
@fresh_second_factor  # removing someone's factors is how an account would be taken over
def user_mfa_reset(request, pk: int):
    return _user_action(request, pk, services.user_mfa_reset,
                        _("Two-step verification reset; the person enrols again at next login."))


@permission_required("office.manage")
def offices(request):
    return render(request, "accounts/offices.html", {"offices": selectors.office_list()})


@permission_required("office.manage")
def office_edit(request, code: str | None = None):
    office = get_object_or_404(Office, code=code) if code else Office()
    form = OfficeForm(request.POST or None, instance=office)
    if request.method == "POST" and form.is_valid():
        try:
            services.office_save(actor=request.user, request=request, office=form.save())
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Office saved."))
            return redirect("accounts:offices")
    return render(request, "accounts/office_form.html", {"form": form, "office": office})
