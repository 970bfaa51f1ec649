"""Management pages for administrators: users, their roles, offices. Thin: parse, call a
service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.accounts import changes, selectors, services
from amparo.accounts.forms import (
    OfficeForm,
    ReasonForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)
from amparo.accounts.fresh import fresh_second_factor
from amparo.accounts.models import AccountChange, Office, User
from amparo.core.decorators import permission_required
from amparo.core.forms import show_refusal
from amparo.core.pages import act_and_tell, paginate
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
            active={"active": True, "inactive": False, "sin_segundo_factor": True}.get(status),
            without_mfa=status == "sin_segundo_factor",
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
                service=data["service"],
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
            if data["email"].strip().lower() != (user.email or "").lower():  # it waits
                messages.info(request, _(
                    "The new e-mail address takes effect when both the old and the new address "
                    "confirm it through the links sent to them, or when a director approves it."))
            if selectors.grants_pending_for(user).exists():
                messages.info(request, _(
                    "Roles that read case content wait for a second person's approval (a "
                    "director, or another administrator for the administrator role)."))
            return redirect("accounts:user", pk=user.pk)
    return render(request, "accounts/user_detail.html",
                  {"subject": user, "form": form, "reason_form": ReasonForm(),
                   "pending": list(selectors.grants_pending_for(user)),
                   "changes": list(selectors.changes_pending_for(user))})


@permission_required("role.approve")
@fresh_second_factor
def grants(request):
    """Roles and account changes waiting for a second person: approve or refuse each."""
    if request.method == "POST":
        if "change" in request.POST:
            return _change_decide(request)
        grant = posted_or_404(selectors.grants_to_decide(request.user), request, "grant")
        approve = request.POST.get("decision") == "approve"
        act_and_tell(request, lambda: services.grant_decide(
            actor=request.user, grant=grant, approve=approve, request=request),
            (_("Role given to %(name)s.") if approve else _("Role refused for %(name)s."))
            % {"name": grant.user.display_name})
        return redirect("accounts:grants")
    return render(request, "accounts/grants.html",
                  {"grants": list(selectors.grants_to_decide(request.user)),
                   "changes": list(selectors.changes_to_decide(request.user))})


def _change_decide(request):
    change = posted_or_404(selectors.changes_to_decide(request.user), request, "change")
    approve = request.POST.get("decision") == "approve"
    act_and_tell(request, lambda: changes.account_change_decide(
        actor=request.user, change=change, approve=approve, request=request),
        (_("Change made for %(name)s; the person was told.") if approve
         else _("Change refused for %(name)s.")) % {"name": change.user.display_name})
    return redirect("accounts:grants")


def change_confirm(request, token: str):
    """The link sent to an old or new e-mail address: a page that confirms with a button (a
    mail scanner that opens links confirms nothing). No sign-in: the link is the proof."""
    try:
        change, side = changes.change_from_link(token)
    except ValidationError as error:
        return render(request, "accounts/change_confirm.html", {"error": error.messages[0]},
                      status=410)
    if request.method == "POST":
        change = changes.email_change_confirm(token=token, request=request)
        return render(request, "accounts/change_confirm.html",
                      {"change": change, "side": side, "done": True})
    return render(request, "accounts/change_confirm.html", {"change": change, "side": side})


def _user_action(request, pk: int, action, done_message: str, needs_reason: bool = True,
                 waiting_message: str = ""):
    user = get_object_or_404(User, pk=pk)
    form = ReasonForm(request.POST) if needs_reason else None
    if form is not None and not form.is_valid():
        messages.error(request, _("Write the reason before you confirm."))
        return redirect("accounts:user", pk=pk)
    try:
        kwargs = {"reason": form.cleaned_data["reason"]} if form is not None else {}
        waiting = action(actor=request.user, user=user, request=request, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:  # an action that returns a request waits for a second person
        if isinstance(waiting, AccountChange):
            messages.info(request, waiting_message)
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
    return _user_action(
        request, pk, services.user_mfa_reset,
        _("Two-step verification reset; the person enrols again at next login and was told by "
          "e-mail."),
        waiting_message=_("This person reads case content: the reset waits for a director's "
                          "approval. The person was told by e-mail."))


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
