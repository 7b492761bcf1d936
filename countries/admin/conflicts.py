"""No lost updates: a form opened before a colleague's save is never saved over it.

The change form carries the entry's version from when it was opened (CountryForm). When it is
posted, `changeform_view` locks the entry's row (so two saves cannot both pass the check) and
compares. If someone saved in between, nothing is saved: the form comes back with their changes
to fields and rows this editor did not touch taken in, this editor's own text kept where both
changed something, and a list of what they changed (countries.history.merge_since). Its version
is then the current one, so saving again is a deliberate choice.

Everything is passed explicitly: the merged data goes into forms built here for the page, and
the conflict into the page's context; nothing is kept on the request or the form class.
"""

from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.utils.formats import localize
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from ..fields import version_token
from ..history import merge_since
from ..models import INLINE_ROW_RELATIONS, Country


class NoLostUpdatesMixin:
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with transaction.atomic(using=router.db_for_write(self.model)):
            if request.method == "POST" and object_id is not None:
                conflict = self.edit_conflict(request, unquote(object_id))
                if conflict is not None:
                    return self.refuse_conflicting_save(
                        request, object_id, conflict, form_url, extra_context
                    )
            return super().changeform_view(request, object_id, form_url, extra_context)

    @staticmethod
    def edit_conflict(request, pk):
        """What changed since the version the posted form was opened at, or None if nothing."""
        current = (
            Country.objects.select_for_update()
            .filter(pk=pk)
            .values_list("updated_at", flat=True)
            .first()
        )
        loaded = request.POST.get("loaded_version", "")
        if current is None or version_token(current) == loaded:
            return None
        country = Country.objects.with_rows(public=False, relations=INLINE_ROW_RELATIONS)
        conflict = merge_since(country.get(pk=pk), loaded, request.POST)
        if conflict.exact and not (conflict.revisions or conflict.fields or conflict.rows):
            return None  # e.g. only the entry's sites changed since: this form does not hold them
        conflict.merged_data["loaded_version"] = version_token(current)
        return conflict

    def refuse_conflicting_save(self, request, object_id, conflict, form_url, extra_context):
        """The change page again, bound to the merged data, saying what happened; no save."""
        obj = self.get_object(request, unquote(object_id))
        form, formsets, inline_instances = self.bound_forms(request, obj, conflict.merged_data)
        form.is_valid()
        for formset in formsets:
            formset.is_valid()
        form.add_error(None, conflict_error(conflict))
        admin_form = helpers.AdminForm(
            form,
            list(self.get_fieldsets(request, obj)),
            self.get_prepopulated_fields(request, obj),
            self.get_readonly_fields(request, obj),
            model_admin=self,
        )
        inline_formsets = self.get_inline_formsets(request, formsets, inline_instances, obj)
        media = self.media + admin_form.media
        for inline_formset in inline_formsets:
            media += inline_formset.media
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change %s") % self.opts.verbose_name,
            "subtitle": str(obj),
            "adminform": admin_form,
            "object_id": object_id,
            "original": obj,
            "is_popup": False,
            "to_field": None,
            "media": media,
            "inline_admin_formsets": inline_formsets,
            "errors": helpers.AdminErrorList(form, formsets),
            "preserved_filters": self.get_preserved_filters(request),
            "conflict": conflict,
            **(extra_context or {}),
        }
        return self.render_change_form(request, context, change=True, obj=obj, form_url=form_url)

    def bound_forms(self, request, obj, data):
        """The change form and its inline formsets bound to `data`, as the change view binds
        them to what was posted (obj is None for an entry being added)."""
        form = self.get_form(request, obj, change=obj is not None)(
            data, request.FILES, instance=obj
        )
        formsets, inline_instances = [], []
        for formset_class, inline in self.get_formsets_with_inlines(request, obj):
            kwargs = self.get_formset_kwargs(
                request, form.instance, inline, formset_class.get_default_prefix()
            )
            kwargs["data"] = data
            formsets.append(formset_class(**kwargs))
            inline_instances.append(inline)
        return form, formsets, inline_instances


def conflict_error(conflict):
    who = ", ".join(
        f"{user or _('an import')} ({localize(localtime(date))})"
        for user, date, _comment in conflict.revisions[:3]
    ) or _("another editor")
    return ValidationError(
        _(
            "This entry was changed by %(who)s after you opened it. Nothing was saved. "
            "Their changes to fields you had not touched are now in the form; where you "
            "both changed a field, your text is kept. Check the list above the form, "
            "then save again."
        ),
        code="edit_conflict",
        params={"who": who},
    )
