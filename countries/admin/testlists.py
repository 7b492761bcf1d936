"""Importing a Citizen Lab test list from the admin: upload, preview, import.

1. A form: the country and the CSV file (at most MAX_UPLOAD_BYTES).
2. The preview: what importing would do (a dry run's report), or every problem by line, in
   which case there is nothing to import.
3. "Import" sends back the previewed text, signed (django.core.signing), so what is imported
   is exactly what was previewed and cannot be altered on the way; then the blocked-site list
   of that country, with a message.

Wired by the blocked-site admin as "admin:countries_blockedsite_import_test_list", through
`admin_site.admin_view` (signed-in staff only); this view also requires the permissions to
add and change blocked sites (403 otherwise).
"""

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Country
from ..opendata.testlists import TestListInvalid, Text, import_test_list, read_text

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
REQUIRED_PERMISSIONS = ("countries.add_blockedsite", "countries.change_blockedsite")
SIGNING_SALT = "countries.admin.testlists"
PREVIEW_MAX_AGE = 24 * 3600  # seconds a preview can be imported from
TEMPLATES = "admin/countries/testlist/"


class UploadForm(forms.Form):
    country = forms.ModelChoiceField(
        queryset=Country.objects.order_by("name"),
        label=gettext_lazy("Country"),
        help_text=gettext_lazy("The entry whose sites the list is matched to."),
    )
    file = forms.FileField(
        label=gettext_lazy("Test list"),
        help_text=gettext_lazy(
            "A CSV file of citizenlab/test-lists, e.g. lists/kz.csv (at most %(limit)s)."
        )
        % {"limit": filesizeformat(MAX_UPLOAD_BYTES)},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("This file is %(size)s; a test list can be at most %(limit)s."),
                code="too_large",
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(MAX_UPLOAD_BYTES),
                },
            )
        return upload


class ConfirmForm(forms.Form):
    previewed = forms.CharField(widget=forms.HiddenInput)


def can_import(user):
    return user.is_active and user.is_staff and user.has_perms(REQUIRED_PERMISSIONS)


def import_test_list_view(request, model_admin):
    if not can_import(request.user):
        raise PermissionDenied
    if request.method == "POST" and "previewed" in request.POST:
        return _import(request, model_admin)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            return _preview(request, model_admin, form)
    else:
        form = UploadForm(initial={"country": request.GET.get("country")})
    return _render(request, model_admin, "form.html", {"form": form}, _("Import a test list"))


def _preview(request, model_admin, form):
    country, upload = form.cleaned_data["country"], form.cleaned_data["file"]
    name = upload.name.rsplit("/", 1)[-1] or "test list"
    context = {"country": country, "name": name, "form": form}
    try:
        text = read_text(upload.read())
        report = import_test_list(Text(text), country, name=name, dry_run=True, user=request.user)
    except TestListInvalid as failure:
        context["failure"] = failure
    else:
        context["report"] = report
        payload = {"country": country.pk, "name": name, "text": text, "user": request.user.pk}
        signed = signing.dumps(payload, salt=SIGNING_SALT, compress=True)
        context["confirm_form"] = ConfirmForm(initial={"previewed": signed})
    title = _("Preview: %(name)s into %(country)s") % {"name": name, "country": country}
    return _render(request, model_admin, "preview.html", context, title)


def _import(request, model_admin):
    try:
        payload = signing.loads(
            request.POST["previewed"], salt=SIGNING_SALT, max_age=PREVIEW_MAX_AGE
        )
        country = Country.objects.get(pk=payload["country"])
        if payload["user"] != request.user.pk:
            raise signing.BadSignature("another editor's preview")
    except (signing.BadSignature, Country.DoesNotExist, KeyError, TypeError):
        model_admin.message_user(
            request,
            _(
                "That preview cannot be imported (too old, or changed on the way). "
                "Upload the file again."
            ),
            messages.ERROR,
        )
        form = UploadForm()
        response = _render(
            request, model_admin, "form.html", {"form": form}, _("Import a test list")
        )
        response.status_code = 400
        return response
    name = payload["name"]
    try:
        report = import_test_list(Text(payload["text"]), country, name=name, user=request.user)
    except TestListInvalid as failure:
        context = {"country": country, "name": name, "failure": failure}
        title = _("Preview: %(name)s into %(country)s") % {"name": name, "country": country}
        return _render(request, model_admin, "preview.html", context, title)
    if report.changed:
        message = _("Imported %(name)s into %(country)s: %(summary)s.")
    else:
        message = _("%(name)s holds nothing new for %(country)s: %(summary)s.")
    model_admin.message_user(
        request,
        message % {"name": name, "country": country, "summary": report.summary()},
        messages.SUCCESS,
    )
    opts = model_admin.model._meta
    changelist = reverse(
        f"{model_admin.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist"
    )
    return HttpResponseRedirect(f"{changelist}?country__id__exact={country.pk}")


def _render(request, model_admin, template, context, title):
    opts = model_admin.model._meta
    return TemplateResponse(
        request,
        TEMPLATES + template,
        {
            **model_admin.admin_site.each_context(request),
            "opts": opts,
            "app_label": opts.app_label,
            "title": title,
            "max_upload": MAX_UPLOAD_BYTES,
            **context,
        },
    )
