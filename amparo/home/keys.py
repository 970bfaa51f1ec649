"""The administrator's page for the keys that open Amparo from outside: API tokens (who holds
one, until when, made by whom and why; a new one, its secret shown once, on this answer only;
revoking one) and the staff's calendar addresses. It gathers two apps (api, legal), so it lives
in the top layer."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amparo.accounts.fresh import fresh_second_factor
from amparo.accounts.models import User
from amparo.api.models import ApiToken
from amparo.api.tokens import MAX_DAYS, token_create, token_revoke
from amparo.core.decorators import permission_required
from amparo.core.forms import StyledFormMixin, show_refusal
from amparo.core.views import posted_or_404
from amparo.legal.models import CalendarFeed
from amparo.legal.selectors import live_feeds
from amparo.legal.services import calendar_feed_revoke


class TokenForm(StyledFormMixin, forms.Form):
    user = forms.ModelChoiceField(
        label=gettext_lazy("Account the program acts as"), queryset=User.objects.none(),
        help_text=gettext_lazy("Yourself, or a service account. A token never acts as another "
                               "person: for a program, make a service account first (its "
                               "roles are approved by a second person)."))
    name = forms.CharField(label=gettext_lazy("Name of the program"), max_length=100,
                           help_text=gettext_lazy("For example: Ministry of Women's system."))
    days = forms.IntegerField(label=gettext_lazy("Valid for (days)"), min_value=1,
                              max_value=MAX_DAYS, initial=30)
    reason = forms.CharField(label=gettext_lazy("What it is for, and who asked"),
                             max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            Q(pk=actor.pk) | Q(is_service=True), is_active=True).order_by("-is_service",
                                                                         "username")
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name} ({u.username})"


@permission_required("user.manage")
@fresh_second_factor(when=lambda request: request.POST.get("action") == "create")
def tokens(request):
    form = TokenForm(request.POST if request.POST.get("action") == "create" else None,
                     actor=request.user)
    secret = None
    if request.method == "POST" and request.POST.get("action") == "revoke_feed":
        feed = posted_or_404(CalendarFeed.objects.select_related("user"), request, "feed")
        calendar_feed_revoke(actor=request.user, request=request, owner=feed.user)
        messages.success(request, _("The calendar address of %(name)s no longer works.")
                         % {"name": feed.user.display_name})
        return redirect("tokens:list")
    if request.method == "POST" and request.POST.get("action") == "revoke":
        token = posted_or_404(ApiToken.objects.all(), request, "token")
        token_revoke(token=token, actor=request.user, request=request)
        messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
        return redirect("tokens:list")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _token, secret = token_create(user=data["user"], name=data["name"],
                                          days=data["days"], reason=data["reason"],
                                          actor=request.user, request=request)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            form = TokenForm(actor=request.user)  # the secret: on this answer only
    rows = ApiToken.objects.select_related("user", "created_by").order_by("-created_at")[:200]
    feeds = live_feeds().select_related("user").order_by("-created_at")[:500]
    return render(request, "home/keys.html", {"form": form, "secret": secret, "rows": rows,
                                               "feeds": feeds, "now": timezone.now(),
                                               "max_days": MAX_DAYS})


app_name = "tokens"
urlpatterns = [path("", tokens, name="list")]
