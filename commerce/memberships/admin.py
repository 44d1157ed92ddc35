"""Wagtail admin for an association's membership plans, scoped to the associations whose
payments the admin manages (``wagtail_hooks`` registers them with the members screens of
``admin_views`` under one "Memberships" menu)."""

from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from courses.admin.columns import yes_no
from courses.models.fields import MoneyFormField
from lms.money import currency_of, format_money
from lms.organizations.admin import (
    OBJECT_ACTIONS,
    OrganizationScopedForm,
    OrganizationScopedPolicy,
    OrganizationScopedViewSet,
)
from lms.organizations.permissions import Action
from lms.organizations.selectors import organizations_where

from .models import AssociationMembership, MembershipPlan, MembershipStatus
from .selectors import plan_in_use

MEMBERS_MENU_HOOK = "register_memberships_menu_item"


class MembershipPlanPolicy(OrganizationScopedPolicy):
    """A plan someone holds or held is part of their history: it is switched off ("offered"
    unticked), never deleted (the database PROTECTs it too)."""

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "delete" and plan_in_use(instance):
            return False
        return super().user_has_permission_for_instance(user, action, instance)


def membership_plan_policy() -> OrganizationScopedPolicy:
    return MembershipPlanPolicy(
        MembershipPlan,
        actions=dict.fromkeys(OBJECT_ACTIONS, Action.MANAGE_PAYMENTS),
        owner_field="association",
    )


class MembershipPlanForm(OrganizationScopedForm):
    """The admin's own associations only; dues typed in the association's currency."""

    owner_field = "association"
    owner_action = Action.MANAGE_PAYMENTS

    annual_dues = MoneyFormField(
        label=gettext_lazy("Dues"),
        help_text=gettext_lazy("What a member pays for one term of the plan, e.g. 70 or 70.00."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.instance.association if self.instance.association_id else None
        if owner is None and self.for_user is not None:
            own = organizations_where(user=self.for_user, action=Action.MANAGE_PAYMENTS)
            own = list(own.filter(kind="association")[:2])
            owner = own[0] if len(own) == 1 else None
        self.fields["annual_dues"].currency = currency_of(owner)

    def clean(self):
        cleaned = super().clean()
        association = cleaned.get("association")
        # The dues were read in the currency guessed before the association was known.
        if association is not None and association.currency != self.fields["annual_dues"].currency:
            field = self.fields["annual_dues"]
            field.currency = currency_of(association)
            try:
                cleaned["annual_dues"] = field.clean(self.data.get(self.add_prefix("annual_dues")))
            except ValidationError as exc:
                self.add_error("annual_dues", exc)
        return cleaned


class DuesColumn(Column):
    def get_value(self, instance):
        currency = currency_of(instance.association)
        return format_money(instance.annual_dues, currency)


class MembershipPlanViewSet(OrganizationScopedViewSet):
    model = MembershipPlan
    icon = "group"
    menu_label = gettext_lazy("Membership plans")
    list_filter = ["active"]
    search_fields = ["name", "description"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("association"),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("annual_dues"), FieldPanel("length_months")]),
            FieldPanel("member_prices"),
            FieldPanel("active"),
            FieldPanel("sort_order"),
        ],
        base_form_class=MembershipPlanForm,
    )

    @property
    def list_display(self):
        return [
            "name",
            "association",
            DuesColumn("annual_dues", label=gettext_lazy("Dues")),
            "length_months",
            Column("member_count", label=gettext_lazy("Current members")),
            yes_no(MembershipPlan, "active", label=gettext_lazy("Offered")),
        ]

    def get_queryset(self, request):
        running = (
            AssociationMembership.objects.filter(
                plan=OuterRef("pk"), status=MembershipStatus.ACTIVE
            )
            .order_by()
            .values("plan")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .select_related("association")
            .annotate(member_count=Coalesce(Subquery(running), 0))
            .order_by("association__name", "sort_order", "name")
        )


class MembershipsGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Memberships")
    menu_icon = "group"
    menu_order = 255
    items = (MembershipPlanViewSet,)
    # The members screens (not a snippet: they act through services) join the same menu.
    submenu_hook = MEMBERS_MENU_HOOK
