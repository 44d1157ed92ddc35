"""Checks the page editor runs around publishing trainings, and what editors and visitors may
see of other associations' pages (registered as Wagtail hooks in ``wagtail_hooks``)."""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.html import format_html, json_script
from django.utils.translation import gettext
from wagtail.models import Page

from lms.organizations.permissions import Action
from lms.organizations.private_cohorts import page_hidden_from
from lms.organizations.selectors import organizations_where

from ..models import LessonPage, TrainingPage
from ..selectors.facilitators import expired_approvals, expiry_warning
from ..selectors.ownership import association_for_page
from ..selectors.publication import publication_errors


def warn_editors_about_training(request, page):
    """Expired facilitator approvals, and why a version in review cannot be approved yet."""
    if request.method != "GET" or not isinstance(page, TrainingPage):
        return
    association = association_for_page(page=page)
    if association is not None:
        facilitator_ids = [link.facilitator_id for link in page.facilitator_links.all()]
        for approval in expired_approvals(facilitator_ids=facilitator_ids, association=association):
            messages.warning(request, expiry_warning(approval))
    if page.workflow_in_progress:
        problems = publication_errors(page=page)
        if problems:
            messages.warning(
                request,
                gettext("This version cannot be approved until it is complete: %(problems)s")
                % {"problems": " ".join(problems)},
            )


def refuse_bulk_publishing_incomplete_training(request, action_type, objects, action):
    if action_type != "publish":
        return None
    refused = []
    pages = [obj for obj in objects if isinstance(obj, Page)]
    if request.POST.get("include_descendants"):
        # Drafts below (a course's lessons) are published too: each must pass as well.
        pages += [p for obj in list(pages) for p in obj.get_descendants().not_live().specific()]
    for obj in pages:
        latest = obj.get_latest_revision_as_object()
        problems = publication_errors(page=latest)
        if problems:
            refused.append(
                gettext("“%(title)s”: %(problems)s")
                % {"title": obj.get_admin_display_title(), "problems": " ".join(problems)}
            )
    if not refused:
        return None
    messages.error(
        request, gettext("Nothing was published. %(reasons)s") % {"reasons": " ".join(refused)}
    )
    return redirect(request.GET.get("next") or "wagtailadmin_home")


def hide_other_associations_drafts(pages, request):
    """Choosers list any published page, but drafts only from the editor's own sites."""
    user = request.user
    if user.is_superuser:
        return pages
    visible = Q(live=True)
    for organization in (
        organizations_where(user=user, action=Action.EDIT_TRAINING)
        .filter(site__isnull=False)
        .select_related("site__root_page")
    ):
        visible |= Q(path__startswith=organization.site.root_page.path)
    return pages.filter(visible)


def hide_private_cohorts(page, request, serve_args, serve_kwargs):
    """A center's private cohort, and its lessons, do not exist for anyone outside the center
    (404, as the catalog does not list them either). Other pages cost no query."""
    if isinstance(page, (TrainingPage, LessonPage)) and page_hidden_from(
        user=request.user, page=page
    ):
        raise Http404


def allocation_total_script() -> str:
    """The running total of area hours on a training's Competencies tab (static script, its
    sentences translated here: the policy allows no inline script, a JSON block is data)."""
    text = {
        "no_contact": gettext("Areas add up to {sum} h. Enter the contact hours to compare."),
        "even": gettext("Areas add up to {sum} h of {contact} contact hours: all allocated."),
        "short": gettext("Areas add up to {sum} h of {contact} contact hours: {left} h left."),
        "over": gettext("Areas add up to {sum} h, {left} h more than the {contact} contact hours."),
    }
    return format_html(
        '{}<script src="{}" defer></script>',
        json_script(text, "attune-allocation-text"),
        static("courses/admin/allocation_total.js"),
    )
