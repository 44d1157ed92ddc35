"""Deleting pages without losing learners' work (registered in ``wagtail_hooks``).

Wagtail's delete screen asks first; for a training with learners, Attune's hook answers it
instead: the confirmation names the learners, and confirming archives the training
(``services.archive``) rather than deleting it. Pages that hold such trainings are refused.
The archive's own screens list archived trainings and restore them.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.models import Page

from lms import parsing  # noqa: F401 - registers the <id:...> converter
from lms.deletion import kept_kinds

from ..models import TrainingPage
from ..selectors.archive import (
    archived_trainings,
    deletion_refusal,
    is_archived,
    training_learners,
)
from ..services.archive import ArchiveError, archive_training, restore_training


class ArchiveForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is it no longer offered? (optional)"),
        help_text=gettext_lazy("Kept in the audit log and shown to nobody else."),
        max_length=255,
        required=False,
    )


def _back(request, page):
    return get_valid_next_url_from_request(request) or reverse(
        "wagtailadmin_explore", args=(page.get_parent().pk,)
    )


def archive_instead_of_deleting(request, page):
    """``before_delete_page``: a training with learners is archived, a page holding such
    trainings is refused; anything else goes on to Wagtail's own delete."""
    if isinstance(page, TrainingPage):
        learners = training_learners(training=page)
        if not learners.has_work:
            return None
        return _confirm_archive(request, page, learners)
    refusal = deletion_refusal(page=page)
    if refusal:
        messages.error(request, refusal)
        return redirect("wagtailadmin_explore", page.pk)
    return None


def _confirm_archive(request, page, learners):
    if is_archived(training=page):
        messages.error(request, gettext("“%(title)s” is already archived.") % {"title": page.title})
        return redirect("courses_archive:index")
    form = ArchiveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            archive_training(training=page, by=request.user, reason=form.cleaned_data["reason"])
        except ArchiveError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                gettext(
                    "“%(title)s” is archived: it is no longer offered, and the enrollments of "
                    "%(learners)s are kept. You can restore it from Archived trainings."
                )
                % {"title": page.title, "learners": learners.describe()},
                buttons=[
                    messages.button(reverse("courses_archive:index"), gettext("Archived trainings"))
                ],
            )
        return redirect(_back(request, page))
    return TemplateResponse(
        request,
        "courses/admin/confirm_archive.html",
        {
            "page": page,
            "learners": learners,
            "form": form,
            "next": get_valid_next_url_from_request(request),
            "cancel_url": _back(request, page),
        },
    )


def refuse_bulk_deleting_learners_work(request, action_type, objects, action):
    """``before_bulk_action``: bulk delete cannot archive; it refuses trainings with learners
    and the pages that hold them, naming what they hold."""
    if action_type != "delete":
        return None
    refused = []
    for obj in objects:
        if not isinstance(obj, Page):
            continue
        page = obj.specific
        if isinstance(page, TrainingPage):
            learners = training_learners(training=page)
            if learners.has_work:
                refused.append(
                    gettext("“%(title)s” has %(learners)s: delete it on its own to archive it.")
                    % {"title": page.title, "learners": learners.describe()}
                )
                continue
        refusal = deletion_refusal(page=page)
        if refusal:
            refused.append(refusal)
    if not refused:
        return None
    messages.error(request, gettext("Nothing was deleted.") + " " + " ".join(refused))
    return redirect(get_valid_next_url_from_request(request) or "wagtailadmin_home")


def refuse_deleting_snippets_work_depends_on(request, instances):
    """``before_delete_snippet`` (one or in bulk): a post-test with learners' attempts, a
    recording with their watch evidence, or any snippet other rows protect is refused with
    what depends on it, rather than failing on ``ProtectedError``."""
    refused = []
    for instance in instances:
        kinds = kept_kinds(objects=[instance])
        if kinds:
            refused.append(
                gettext("“%(object)s” cannot be deleted while %(kinds)s depend on it.")
                % {"object": instance, "kinds": ", ".join(kinds)}
            )
    if not refused:
        return None
    messages.error(request, gettext("Nothing was deleted.") + " " + " ".join(refused))
    viewset = getattr(type(instances[0]), "snippet_viewset", None)
    back = reverse(viewset.get_url_name("list")) if viewset else "wagtailadmin_home"
    return redirect(get_valid_next_url_from_request(request) or back)


def warn_about_archived_training(request, page):
    """``before_edit_page``: an archived training says so, with the way back."""
    if request.method != "GET" or not isinstance(page, TrainingPage):
        return
    if is_archived(training=page):
        messages.warning(
            request,
            gettext(
                "This training is archived: learners see it as no longer offered and it "
                "cannot be published. Restore it to offer it again."
            ),
            buttons=[
                messages.button(
                    reverse("courses_archive:restore", args=(page.pk,)), gettext("Restore")
                )
            ],
        )


def _may_restore(user, page) -> bool:
    return page.permissions_for_user(user).can_publish()


def archive_index(request):
    archives = [
        archive
        for archive in archived_trainings(user=request.user)
        if _may_restore(request.user, archive.training)
    ]
    return TemplateResponse(
        request, "courses/admin/archived_trainings.html", {"archives": archives}
    )


@require_http_methods(["GET", "POST"])
def restore(request, page_id):
    page = get_object_or_404(TrainingPage, pk=page_id)
    if not _may_restore(request.user, page):
        raise PermissionDenied
    if not is_archived(training=page):
        raise Http404
    if request.method == "POST":
        try:
            problems = restore_training(training=page, by=request.user)
        except ArchiveError as error:
            messages.error(request, str(error))
            return redirect("courses_archive:index")
        if problems:
            messages.warning(
                request,
                gettext(
                    "“%(title)s” is restored as a draft with its learners' enrollments; it "
                    "could not be published again: %(problems)s"
                )
                % {"title": page.title, "problems": " ".join(problems)},
            )
        else:
            messages.success(
                request,
                gettext("“%(title)s” is restored, with its learners' enrollments.")
                % {"title": page.title},
            )
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return TemplateResponse(
        request,
        "courses/admin/confirm_restore.html",
        {"page": page, "archive": page.archive, "learners": training_learners(training=page)},
    )


def admin_urls():
    urls = [
        path("", archive_index, name="index"),
        path("<id:page_id>/restore/", restore, name="restore"),
    ]
    return [path("archived-trainings/", include((urls, "courses_archive")))]


class ArchiveMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return (
            user.is_superuser
            or Page.objects.filter(
                group_permissions__group__user=user,
                group_permissions__permission__codename="publish_page",
            ).exists()
        )


def archive_menu_item():
    return ArchiveMenuItem(
        gettext_lazy("Archived trainings"),
        reverse("courses_archive:index"),
        icon_name="folder-inverse",
        order=350,
    )
