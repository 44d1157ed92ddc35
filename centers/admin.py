"""Contracts in Wagtail's admin: association administrators draft, activate and end them and
see their use (seats used, completions); each association sees only its own (registered by
``centers.wagtail_hooks``).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    ObjectList,
    PageChooserPanel,
)
from wagtail.admin.views.generic import InspectView
from wagtail.permissions import policy_registry

from centers import services
from centers.selectors import contract_report
from lms.organizations.admin import (
    OrganizationScopedForm,
    OrganizationScopedPolicy,
    OrganizationScopedViewSet,
)
from lms.organizations.models import Contract, ContractStatus, OrganizationKind
from lms.organizations.permissions import Action

TRAINING_TYPES = ["courses.CoursePage", "courses.WebinarPage", "courses.LiveEventPage"]


class ContractPolicy(OrganizationScopedPolicy):
    """Association administrators manage their contracts; an ended contract is a record of
    what was agreed and is no longer edited, and only a draft may be deleted."""

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "change" and instance.status == ContractStatus.ENDED:
            return False
        if action == "delete" and instance.status != ContractStatus.DRAFT:
            return False
        return super().user_has_permission_for_instance(user, action, instance)


class ContractForm(OrganizationScopedForm):
    owner_field = "association"
    owner_action = Action.MANAGE_CONTRACTS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "center" in self.fields:
            self.fields["center"].queryset = self.fields["center"].queryset.filter(
                kind=OrganizationKind.CENTER
            )
        if self.instance.pk and self.instance.status != ContractStatus.DRAFT:
            # Who the contract binds is settled once it is active.
            for name in ("association", "center"):
                if name in self.fields:
                    self.fields[name].disabled = True

    def clean(self):
        cleaned = super().clean()
        contract = self.instance
        for name in ("association", "center", "seat_count", "starts_on", "ends_on"):
            if name in cleaned and cleaned[name] is not None:
                setattr(contract, name, cleaned[name])
        for problem in services.contract_problems(contract):
            self.add_error(None, problem)
        formset = self.formsets.get("trainings")
        if formset is not None and contract.pk:
            for form in formset.forms:
                line = form.instance
                removing = (
                    form.cleaned_data.get("DELETE") if hasattr(form, "cleaned_data") else False
                )
                changed = line.pk and "training" in getattr(form, "changed_data", [])
                if line.pk and (removing or changed) and line.seats.exists():
                    self.add_error(
                        None,
                        _(
                            "“%(training)s” has seats assigned: release them before removing "
                            "or replacing the training."
                        )
                        % {"training": line.training.title},
                    )
        return cleaned


class ContractDetailView(InspectView):
    """The contract's terms and its use: seats used and completions per training."""

    template_name = "organizations/admin/contract_detail.html"
    page_title = gettext_lazy("Contract")

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = self.object
        policy = policy_registry.get_by_type(Contract)
        context.update(
            contract=contract,
            report=contract_report(contract=contract),
            can_change=policy.user_has_permission_for_instance(
                self.request.user, "change", contract
            ),
        )
        return context


class ContractViewSet(OrganizationScopedViewSet):
    model = Contract
    icon = "doc-full"
    menu_label = gettext_lazy("Contracts")
    menu_order = 205
    add_to_admin_menu = True
    inspect_view_enabled = True
    inspect_view_class = ContractDetailView
    list_filter = ["status"]
    search_fields = ["title"]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldRowPanel([FieldPanel("association"), FieldPanel("center")]),
            FieldRowPanel(
                [FieldPanel("starts_on"), FieldPanel("ends_on"), FieldPanel("seat_count")]
            ),
            InlinePanel(
                "trainings",
                heading=gettext_lazy("Trainings"),
                label=gettext_lazy("Training"),
                panels=[
                    FieldRowPanel(
                        [PageChooserPanel("training", TRAINING_TYPES), FieldPanel("private")]
                    )
                ],
            ),
            FieldPanel("notes"),
        ],
        base_form_class=ContractForm,
    )

    @property
    def list_display(self):
        return ["title", "center", "association", "status", "seats_used", "seat_count", "ends_on"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("association", "center")

    def get_urlpatterns(self):
        extra = [
            path(
                "activate/<str:pk>/",
                self.transition_view(services.activate_contract),
                name="activate",
            ),
            path("end/<str:pk>/", self.transition_view(services.end_contract), name="end"),
        ]
        return [*super().get_urlpatterns(), *(self._guard(p) for p in extra)]

    def transition_view(self, transition):
        inspect_name = self.get_url_name("inspect")

        def view(request, pk):
            contract = self.get_queryset(request).filter(pk=pk).first()
            if request.method != "POST" or contract is None:
                raise Http404
            if not self.policy.user_has_permission_for_instance(request.user, "change", contract):
                raise Http404
            try:
                contract = transition(contract=contract)
            except (services.ContractError, ValidationError) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            else:
                if contract.status == ContractStatus.ACTIVE:
                    text = _("“%(contract)s” is active.")
                else:
                    text = _("“%(contract)s” is ended.")
                messages.success(request, text % {"contract": contract.title})
            return redirect(inspect_name, contract.pk)

        return view
