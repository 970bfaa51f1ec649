"""Regional instruments, editions and their report, and two editions side by side."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from amparo.accounts.permissions import can
from amparo.audit.services import section_event
from amparo.core.decorators import permission_required
from amparo.core.pages import FormsPage, paginate, query_with, refused
from amparo.core.sheets import xlsx_response
from amparo.policy import choices, forms, report, selectors, services
from amparo.policy.views.common import _edition
from amparo.reference.selectors import department_names


@permission_required("policy.view")
def instrument_list(request, pk: int | None = None):
    record = selectors.regional_instrument_for(pk) if pk else None
    manage = can(request.user, "policy.manage")
    initial = {f: getattr(record, f) for f in services.INSTRUMENT_FIELDS} if record else {}
    form = forms.InstrumentForm(request.POST or None, initial=initial) if manage else None
    context = {"record": record, "form": form, "can_manage": manage}
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.instrument_save(actor=request.user, request=request,
                                         data=form.cleaned_data, record=record)
            except ValidationError as error:
                refused(form, error, context)
            else:
                messages.success(request, _("Instrument saved."))
                return redirect("policy:instruments")
    department = request.GET.get("departamento") or ""
    rows = selectors.regional_instruments(department)
    names = department_names()
    if request.GET.get("formato") == "xlsx":
        section_event(request, "policy", "policy_instrument",
                      reason="regional instruments", action="export")
        return xlsx_response("instrumentos-regionales.xlsx", [(_("Regional instruments"), [
            _("Department"), _("Kind"), _("Name"), _("Norm"), _("From year"), _("To year"),
            _("Anti-trafficking objectives"), _("Budget lines"), _("Budget (PEN)")], [
            [names.get(i.department, i.department), i.get_kind_display(), i.name, i.norm,
             i.starts, i.ends, _("yes") if i.has_objectives else _("no"),
             _("yes") if i.budget_lines else _("no"),
             float(i.budget) if i.budget is not None else ""] for i in rows])])
    for row in rows:
        row.department_name = names.get(row.department, row.department)
    context.update(page=paginate(rows, request.GET.get("page")), department=department,
                   departments=sorted(names.items()),
                   export=query_with(request.GET, formato="xlsx"))
    section_event(request, "policy", "policy_instrument", reason="regional instruments")
    return render(request, "policy/instruments.html", context,
                  status=400 if request.method == "POST" else 200)


@permission_required("policy.view")
def edition_detail(request, code: str | None = None):
    edition = selectors.edition_for(code) if code else None
    manage = can(request.user, "policy.manage")
    page = FormsPage(request, ("edition", "chapter") if edition else ("edition",),
                     allowed=manage)
    if edition is not None:
        initial = {"instrument": edition.instrument, "first_year": edition.first_year,
                   "last_year": edition.last_year, "title": edition.title,
                   "scale": edition.scale, "published_on": edition.published_on}
    else:
        initial = {"instrument": selectors.instrument_latest()}
    form = forms.EditionForm(page.data("edition"), initial=initial)
    texts = selectors.chapter_texts(edition)
    posted = request.POST.get("chapter")
    chapters = [(value, label, forms.ChapterForm(
        page.data("chapter") if posted == value else None,
        initial={"chapter": value, "text": texts.get(value, "")}, prefix=f"c-{value}"))
        for value, label in choices.Chapter.choices]
    context = {"edition": edition, "form": form, "chapters": chapters, "can_manage": manage,
               "failed": page.action}
    if page.action:
        saved = []

        def save_edition(data):
            data["scale"] = services.scale_parse(data["scale"])
            saved.append(services.edition_save(actor=request.user, request=request, data=data,
                                               edition=edition))
            return _("Edition %(code)s saved.") % {"code": saved[-1].code}

        def save_chapter(data):
            services.chapter_save(actor=request.user, request=request, edition=edition,
                                  chapter=data["chapter"], text=data["text"])
            return _("Chapter saved.")

        if page.action == "edition":
            done = page.submit(form, save_edition, context)
        else:
            chosen = next((f for v, _label, f in chapters if v == posted), None)
            if chosen is None:
                raise Http404
            done = page.submit(chosen, save_chapter, context)
        if done:
            return page.done(done, reverse("policy:edition", args=[
                saved[-1].code if saved else edition.code]))
    section_event(request, "policy", "policy_edition", code or "")
    return render(request, "policy/edition.html", context, status=page.status)


@require_safe
@permission_required("policy.view")
def edition_report(request, code: str, fmt: str):
    edition = selectors.edition_for(code)
    if fmt not in report.FORMATS:
        raise Http404
    content_type, make = report.FORMATS[fmt]
    content = make(report.draft(edition))
    section_event(request, "policy", "policy_edition",
                  edition.code, reason=f"report {fmt}", action="export")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="informe-{edition.code}.{fmt}"'
    return response


@permission_required("policy.view")
def comparison(request):
    edition = _edition(request)
    editions = selectors.editions_of(edition.instrument) if edition else []
    rows = selectors.comparison(editions)
    if request.GET.get("formato") == "xlsx":
        section_event(request, "policy", "policy_edition", reason="comparison", action="export")
        header = [_("No."), _("Service")]
        for e in editions:
            header += [f"{e.code}: " + _("Budget"), f"{e.code}: " + _("Implementation")]
        return xlsx_response("comparacion.xlsx", [(_("Comparison"), header, [
            [c.service.number, c.service.name] + [
                value for e in editions for value in (
                    report.budget_label(c.by_edition[e.code].budget),
                    str(choices.Implementation(c.by_edition[e.code].implementation).label))]
            for c in rows])])
    section_event(request, "policy", "policy_edition", reason="comparison")
    return render(request, "policy/comparison.html", {
        "editions": editions, "edition": edition,
        "rows": [(c.service, [c.by_edition.get(e.code) for e in editions]) for c in rows],
        "export": query_with(request.GET, formato="xlsx")})
