"""Who may use the editor: signed-in staff allowed to change some part of an entry."""

from django.contrib.auth.mixins import UserPassesTestMixin

EDIT_PERMISSIONS = (
    "countries.add_country",
    "countries.change_country",
    "countries.change_constitutionalarticle",
    "countries.change_blockedsite",
    "countries.change_metric",
)


def can_edit_entries(user):
    return user.is_active and user.is_staff and any(map(user.has_perm, EDIT_PERMISSIONS))


class EditorRequiredMixin(UserPassesTestMixin):
    raise_exception = True  # a 403 for the editor's background request, not a login page

    def test_func(self):
        return can_edit_entries(self.request.user)
