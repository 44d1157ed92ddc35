"""Wagtail's admin for organizations: the scoped bases every app's admin screens build on
(a permission policy, a viewset and a form that answer from the one permission table) and
the screens for organizations, memberships, facilitators and their approvals.

``wagtail_hooks.py`` registers them; nothing here registers on import.
"""

from functools import wraps

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.urls import URLPattern
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from lms.accounts.models import User

from .models import Facilitator, FacilitatorApproval, Membership, Organization
from .permissions import Action, kinds_allowing, roles_allowing
from .selectors import can_anywhere, organizations_where, user_can


class OrganizationViewSet(SnippetViewSet):
    model = Organization
    icon = "group"
    menu_label = gettext_lazy("Organizations")
    list_display = ["name", "kind", "slug", "site"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "user"
    menu_label = gettext_lazy("Memberships")
    list_display = ["user", "organization", "role"]
    list_filter = ["organization", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail's chooser would show anyone in the admin every organization's people.
        self.chooser_viewset_class = scoped_chooser_viewset_class(self.chooser_queryset)

    def chooser_queryset(self, request):
        return Membership.objects.filter(
            organization__in=organizations_where(user=request.user, action=Action.MANAGE_MEMBERS)
        ).select_related("user", "organization")


class OrganizationGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Organizations")
    menu_icon = "group"
    menu_order = 200
    items = (OrganizationViewSet, MembershipViewSet)


# Objects owned by an organization (facilitators, approvals, library modules) are edited in
# Wagtail's admin. Wagtail asks a permission policy; the policy asks the permission table.


class OrganizationScopedPolicy(BasePermissionPolicy):
    """Wagtail's questions ("may this user change this?") answered from ``RULES``.

    ``actions`` maps Wagtail's action names (add, change, delete, view, publish, ...) to the
    Attune action, or tuple of actions any of which allows them; the object's organization
    is read from ``owner_field``.
    """

    def __init__(self, model, *, actions: dict, owner_field="organization"):
        super().__init__(model)
        self.actions = {
            name: (allowed,) if isinstance(allowed, Action) else tuple(allowed)
            for name, allowed in actions.items()
        }
        self.owner_field = owner_field

    def _attune_actions(self, names) -> set[Action]:
        return {a for name in names for a in self.actions.get(name, ())}

    def owner(self, instance):
        return getattr(instance, self.owner_field)

    def user_has_permission(self, user, action):
        return any(can_anywhere(user=user, action=a) for a in self._attune_actions([action]))

    def users_with_any_permission(self, actions):
        condition = Q(is_superuser=True)
        for attune_action in self._attune_actions(actions):
            condition |= Q(
                memberships__role__in=roles_allowing(attune_action),
                memberships__organization__kind__in=kinds_allowing(attune_action),
            )
        return User.objects.filter(condition, is_active=True).distinct()

    def user_has_permission_for_instance(self, user, action, instance):
        owner = self.owner(instance)
        return any(
            user_can(user=user, action=a, organization=owner)
            for a in self._attune_actions([action])
        )

    def instances_user_has_any_permission_for(self, user, actions):
        condition = Q(pk__in=[])
        for attune_action in self._attune_actions(actions):
            orgs = organizations_where(user=user, action=attune_action)
            condition |= Q(**{f"{self.owner_field}__in": orgs})
        return self.model._default_manager.filter(condition).distinct()

    def users_with_any_permission_for_instance(self, actions, instance):
        owner = self.owner(instance)
        condition = Q(is_superuser=True)
        for attune_action in self._attune_actions(actions):
            if owner is not None and owner.kind in kinds_allowing(attune_action):
                condition |= Q(
                    memberships__organization=owner,
                    memberships__role__in=roles_allowing(attune_action),
                )
        return User.objects.filter(condition, is_active=True).distinct()


# URL name -> Wagtail action needed on the object the URL names.
OBJECT_URL_ACTIONS = {
    "edit": "change",
    "copy": "add",
    "delete": "delete",
    "preview_on_edit": "change",
    "revisions_revert": "change",
    "revisions_unschedule": "publish",
    "unpublish": "publish",
    "lock": "change",
    "unlock": "change",
    "workflow_action": "change",
    "collect_workflow_action_data": "change",
    "confirm_workflow_cancellation": "change",
}


class OrganizationScopedForm(WagtailAdminModelForm):
    """Offers only the organizations the editor may create objects for."""

    owner_field = "organization"
    owner_action = Action.EDIT_TRAINING

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get(self.owner_field)
        if field is not None and self.for_user is not None:
            allowed = organizations_where(user=self.for_user, action=self.owner_action)
            current = getattr(self.instance, f"{self.owner_field}_id", None)
            field.queryset = field.queryset.filter(Q(pk__in=allowed) | Q(pk=current))
            field.required = True


def scoped_chooser_viewset_class(queryset_for):
    """A chooser that offers only what ``queryset_for(request)`` returns."""

    class ScopedChooseView(ChooseView):
        def get_object_list(self):
            return queryset_for(self.request)

    class ScopedChooseResultsView(ChooseResultsView):
        def get_object_list(self):
            return queryset_for(self.request)

    class ScopedChosenView(SnippetChosenView):
        def get_object(self, pk):
            return queryset_for(self.request).get(pk=pk)

    class ScopedChooserViewSet(SnippetChooserViewSet):
        choose_view_class = ScopedChooseView
        choose_results_view_class = ScopedChooseResultsView
        chosen_view_class = ScopedChosenView

    return ScopedChooserViewSet


class OrganizationScopedViewSet(SnippetViewSet):
    """Snippets that belong to organizations: each list shows only what the user may see,
    and every view of one object checks that object, not just the model."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.chooser_viewset_class = scoped_chooser_viewset_class(self.chooser_queryset)

    @cached_property
    def policy(self) -> OrganizationScopedPolicy:
        from wagtail.permissions import policy_registry

        return policy_registry.get_by_type(self.model)

    def get_queryset(self, request):
        return self.policy.instances_user_has_permission_for(request.user, "view")

    def chooser_queryset(self, request):
        return self.policy.instances_user_has_permission_for(request.user, "view")

    def get_urlpatterns(self):
        return [self._guard(pattern) for pattern in super().get_urlpatterns()]

    def _guard(self, pattern):
        if not isinstance(pattern, URLPattern) or "pk" not in str(pattern.pattern):
            return pattern
        action = OBJECT_URL_ACTIONS.get(pattern.name, "view")
        view = pattern.callback
        model, policy = self.model, self.policy

        @wraps(view)
        def guarded(request, *args, **kwargs):
            instance = model._default_manager.filter(pk=unquote(str(kwargs["pk"]))).first()
            if instance is None:
                raise Http404
            needed = [action]
            if request.method == "POST" and request.POST.get("action-publish"):
                needed.append("publish")
            for name in needed:
                if not policy.user_has_permission_for_instance(request.user, name, instance):
                    raise PermissionDenied
            return view(request, *args, **kwargs)

        return URLPattern(pattern.pattern, guarded, pattern.default_args, pattern.name)


# Facilitators: the people named on trainings and on the records learners keep.


class FacilitatorPolicy(OrganizationScopedPolicy):
    """Editors manage their own organization's facilitators and see, to choose them, the
    facilitators their association has approved."""

    def user_has_permission_for_instance(self, user, action, instance):
        if super().user_has_permission_for_instance(user, action, instance):
            return True
        return (
            action == "view"
            and instance.approvals.filter(
                association__in=organizations_where(user=user, action=Action.EDIT_TRAINING)
            ).exists()
        )

    def instances_user_has_any_permission_for(self, user, actions):
        owned = super().instances_user_has_any_permission_for(user, actions)
        if "view" not in actions:
            return owned
        approving = organizations_where(user=user, action=Action.EDIT_TRAINING)
        return Facilitator.objects.filter(
            Q(pk__in=owned.values("pk")) | Q(approvals__association__in=approving)
        ).distinct()


OBJECT_ACTIONS = ("add", "change", "delete", "view")
EDITING = dict.fromkeys(OBJECT_ACTIONS, Action.EDIT_TRAINING)


def approval_status(approval: FacilitatorApproval, *, on=None) -> str:
    association = approval.association.display_name
    if approval.expires_on is None:
        return _("%(association)s: approved, no expiry") % {"association": association}
    day = date_format(approval.expires_on, "SHORT_DATE_FORMAT")
    if approval.is_expired(on=on):
        return _("%(association)s: EXPIRED on %(day)s") % {"association": association, "day": day}
    return _("%(association)s: approved until %(day)s") % {"association": association, "day": day}


class ApprovalsPanel(Panel):
    """Lists the facilitator's approvals and warns about expired ones."""

    class BoundPanel(Panel.BoundPanel):
        def render_html(self, parent_context=None):
            instance = self.instance
            if not instance.pk:
                return format_html(
                    "<p>{}</p>",
                    _("Associations record their approval once the facilitator is saved."),
                )
            today = timezone.localdate()
            approvals = list(instance.approvals.select_related("association"))
            expired = [a for a in approvals if a.is_expired(on=today)]
            warning = format_html_join(
                "",
                '<div class="help-block help-warning" role="alert"><p>{}</p></div>',
                (
                    (
                        _(
                            "The approval by %(association)s expired on %(day)s. Trainings in "
                            "its catalog should not name this facilitator until it is renewed."
                        )
                        % {
                            "association": a.association.display_name,
                            "day": date_format(a.expires_on, "DATE_FORMAT"),
                        },
                    )
                    for a in expired
                ),
            )
            rows = format_html_join(
                "", "<li>{}</li>", ((approval_status(a, on=today),) for a in approvals)
            )
            return format_html(
                "{}<ul>{}</ul>", warning, rows or format_html("<li>{}</li>", _("No approvals yet."))
            )


class FacilitatorForm(OrganizationScopedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("user")
        if field is not None and self.for_user is not None and not self.for_user.is_superuser:
            # The account to link is one of the editor's own organizations' people, not
            # a list of everyone on the platform.
            own = organizations_where(user=self.for_user, action=Action.EDIT_TRAINING)
            field.queryset = field.queryset.filter(
                Q(memberships__organization__in=own) | Q(pk=self.instance.user_id)
            ).distinct()


class ApprovalColumn(Column):
    def get_value(self, instance):
        today = timezone.localdate()
        return "; ".join(approval_status(a, on=today) for a in instance.approvals.all()) or "—"


class FacilitatorViewSet(OrganizationScopedViewSet):
    model = Facilitator
    icon = "user"
    menu_label = gettext_lazy("Facilitators")
    search_fields = ["name", "credentials"]
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("credentials"),
            FieldPanel("organization"),
            FieldPanel("endorsement_held"),
            FieldPanel("email"),
            FieldPanel("photo"),
            FieldPanel("bio"),
            FieldPanel("user"),
            ApprovalsPanel(heading=gettext_lazy("Approvals by associations")),
        ],
        base_form_class=FacilitatorForm,
    )

    @property
    def list_display(self):
        return [
            "name",
            "credentials",
            "organization",
            ApprovalColumn("approvals", label=_("Approvals")),
        ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("organization")
            .prefetch_related("approvals__association")
        )


class ApprovalForm(OrganizationScopedForm):
    owner_field = "association"
    owner_action = Action.APPROVE_FACILITATORS


class FacilitatorApprovalViewSet(OrganizationScopedViewSet):
    model = FacilitatorApproval
    icon = "success"
    menu_label = gettext_lazy("Facilitator approvals")
    list_display = ["facilitator", "association", "approved_on", "expires_on"]
    edit_handler = ObjectList(
        [
            FieldPanel("facilitator"),
            FieldPanel("association"),
            FieldPanel("approved_on"),
            FieldPanel("expires_on"),
        ],
        base_form_class=ApprovalForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("facilitator", "association")


class FacilitatorGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Facilitators")
    menu_icon = "user"
    menu_order = 210
    items = (FacilitatorViewSet, FacilitatorApprovalViewSet)
