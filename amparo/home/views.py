from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from amparo.cases.access import list_viewed
from amparo.core.selectors import administration_summary, has_totp
from amparo.home.today import block_for, today_for


@login_required
def home(request):
    """What to do today: each role's own work, each item linking to where it is done."""
    today = today_for(request.user)
    if today.codes:
        list_viewed(request.user, sorted(today.codes), request=request, section="home")
    return render(request, "home/home.html", {
        "today": today, "admin": administration_summary(request.user),
        "mfa_enabled": has_totp(request.user)})


@login_required
def block(request, key: str):
    """One of the home's lists in full ("see all"), in the same order."""
    found = block_for(request.user, key)
    if found is None:
        raise Http404
    codes = sorted({line.code for line in found.lines if line.code})
    if codes:
        list_viewed(request.user, codes, request=request, section="home")
    return render(request, "home/block.html", {"found": found})
