"""Wagtail admin for an association's coupons and bundles, scoped to the associations whose
payments the admin manages (``wagtail_hooks`` registers them), with each coupon's uses."""

from django import forms
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from courses.admin.columns import yes_no
from courses.models import TrainingPage
from courses.models.fields import MoneyFormField
from courses.selectors.learning import trainings_of
from lms.money import currency_of
from lms.organizations.admin import (
    OBJECT_ACTIONS,
    OrganizationScopedForm,
    OrganizationScopedPolicy,
    OrganizationScopedViewSet,
)
from lms.organizations.permissions import Action
from lms.organizations.selectors import organizations_where

from .models import Bundle, Coupon, RedemptionStatus

MANAGING = dict.fromkeys(OBJECT_ACTIONS, Action.MANAGE_PAYMENTS)


class OfferPolicy(OrganizationScopedPolicy):
    """A coupon that was used is people's payment history: it can be switched off, not
    deleted (its uses are kept with their orders)."""

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "delete" and isinstance(instance, Coupon) and instance.redemptions.exists():
            return False
        return super().user_has_permission_for_instance(user, action, instance)


def offer_policy(model) -> OrganizationScopedPolicy:
    return OfferPolicy(model, actions=MANAGING, owner_field="association")


class OfferForm(OrganizationScopedForm):
    """The admin's own associations only; trainings of those associations only; amounts
    typed in the association's currency."""

    owner_field = "association"
    owner_action = Action.MANAGE_PAYMENTS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        associations = list(self._associations())
        if "trainings" in self.fields:
            trainings = TrainingPage.objects.none()
            for association in associations:
                trainings |= trainings_of(organization=association)
            chosen = self.instance.trainings.all() if self.instance.pk else []
            keep = [t.pk for t in chosen]
            self.fields["trainings"].queryset = TrainingPage.objects.filter(
                Q(pk__in=trainings.values("pk")) | Q(pk__in=keep)
            ).order_by("title")
            self.fields["trainings"].widget = forms.CheckboxSelectMultiple()
        owner = self.instance.association if self.instance.association_id else None
        if owner is None and len(associations) == 1:
            owner = associations[0]
        currency = currency_of(owner)
        for field in self.fields.values():
            if isinstance(field, MoneyFormField):
                field.currency = currency

    def _associations(self):
        if self.for_user is None:
            return []
        return organizations_where(
            user=self.for_user, action=Action.MANAGE_PAYMENTS
        ).select_related("site__root_page")

    def clean(self):
        cleaned = super().clean()
        association, trainings = cleaned.get("association"), cleaned.get("trainings")
        if association is not None and trainings:
            own = set(trainings_of(organization=association).values_list("pk", flat=True))
            if any(t.pk not in own for t in trainings):
                self.add_error(
                    "trainings", gettext_lazy("Choose trainings of this association's catalog.")
                )
        return cleaned


class UsesColumn(Column):
    """Uses so far (reserved or kept), of the limit when there is one."""

    def get_value(self, instance):
        uses = getattr(instance, "use_count", 0)
        if instance.max_uses is None:
            return str(uses)
        return f"{uses} / {instance.max_uses}"


class CouponViewSet(OrganizationScopedViewSet):
    model = Coupon
    icon = "tag"
    menu_label = gettext_lazy("Coupons")
    list_display = [
        "code",
        "kind",
        UsesColumn("use_count", label=gettext_lazy("Uses")),
        "valid_until",
        yes_no(Coupon, "active", label=gettext_lazy("Active")),
    ]
    list_filter = ["kind", "active"]
    search_fields = ["code", "description"]
    edit_handler = ObjectList(
        [
            FieldPanel("code"),
            FieldPanel("description"),
            FieldPanel("association"),
            MultiFieldPanel(
                [
                    FieldPanel("kind"),
                    FieldRowPanel([FieldPanel("percent_off"), FieldPanel("amount_off")]),
                ],
                heading=gettext_lazy("Discount"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("max_uses"),
                    FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
                    FieldPanel("trainings"),
                ],
                heading=gettext_lazy("Limits"),
            ),
            FieldPanel("active"),
        ],
        base_form_class=OfferForm,
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                use_count=Count(
                    "redemptions", filter=~Q(redemptions__status=RedemptionStatus.RELEASED)
                )
            )
        )


class BundleViewSet(OrganizationScopedViewSet):
    model = Bundle
    icon = "folder-open-inverse"
    menu_label = gettext_lazy("Bundles")
    list_display = [
        "title",
        Column("trainings_count", label=gettext_lazy("Trainings")),
        yes_no(Bundle, "active", label=gettext_lazy("On sale")),
    ]
    list_filter = ["active"]
    search_fields = ["title"]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("association"),
            FieldPanel("description"),
            FieldPanel("trainings"),
            FieldRowPanel([FieldPanel("price"), FieldPanel("member_price")]),
            FieldPanel("active"),
        ],
        base_form_class=OfferForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(trainings_count=Count("trainings"))


class OffersGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Coupons and bundles")
    menu_icon = "tag"
    menu_order = 260
    items = (CouponViewSet, BundleViewSet)
