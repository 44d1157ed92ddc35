"""Wagtail's admin for endorsement: requirement sets (association admins edit their own
association's rules and only theirs, rules inline, and start a new version from a date), and
the menu item and URLs of the reviewer screens (``views.review``).

``wagtail_hooks.py`` registers them; nothing here registers on import.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import EditView

from lms import parsing  # noqa: F401 - registers the <id:...> converter
from lms.money import MoneyFormField, currency_of
from lms.organizations.admin import (
    OBJECT_ACTIONS,
    OrganizationScopedForm,
    OrganizationScopedPolicy,
    OrganizationScopedViewSet,
)
from lms.organizations.permissions import Action
from lms.records.forms import ServiceErrorsMixin

from .models import RequirementSet
from .services.requirements import start_new_version
from .views import fees, review, revocation


def _fee_field(label):
    # Typed as people write money ("85" or "85.00"), stored in cents; empty charges nothing.
    return MoneyFormField(label=label, required=False, empty_amount=0)


class RequirementSetForm(OrganizationScopedForm):
    owner_field = "association"
    owner_action = Action.EDIT_REQUIREMENTS

    registration_fee = _fee_field(gettext_lazy("Registration fee"))
    submission_fee = _fee_field(gettext_lazy("Processing fee"))
    renewal_fee = _fee_field(gettext_lazy("Renewal fee"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        currency = currency_of(self.instance.association if self.instance.association_id else None)
        for name in ("registration_fee", "submission_fee", "renewal_fee"):
            field = self.fields[name]
            field.currency = currency
            field.help_text = RequirementSet._meta.get_field(name).help_text

    def save(self, commit=True):
        # A shipped default the association has changed is theirs from now on.
        if self.instance.pk and self.has_changed():
            self.instance.is_default = False
        return super().save(commit=commit)


class NewVersionForm(ServiceErrorsMixin, forms.Form):
    version = forms.CharField(label=gettext_lazy("Name of the new version"), max_length=80)
    effective_from = forms.DateField(
        label=gettext_lazy("In effect from"), widget=forms.DateInput(attrs={"type": "date"})
    )


class RequirementSetEditView(EditView):
    new_version_url_name = None

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button(
                _("Start a new version"),
                url=reverse(self.new_version_url_name, args=[quote(self.object.pk)]),
                icon_name="copy",
                priority=5,
            ),
        ]


class RequirementSetViewSet(OrganizationScopedViewSet):
    model = RequirementSet
    icon = "tasks"
    menu_label = gettext_lazy("Endorsement requirements")
    menu_order = 420
    add_to_admin_menu = True
    edit_view_class = RequirementSetEditView
    list_display = [
        "category",
        "kind",
        "version",
        "association",
        "effective_from",
        "effective_to",
        "is_default",
    ]
    list_filter = ["kind", "is_default"]
    search_fields = ["version"]
    edit_handler = ObjectList(
        [
            FieldPanel("association"),
            FieldRowPanel([FieldPanel("category"), FieldPanel("kind")]),
            FieldPanel("version"),
            FieldRowPanel([FieldPanel("effective_from"), FieldPanel("effective_to")]),
            MultiFieldPanel(
                [
                    FieldPanel("window_kind"),
                    FieldRowPanel(
                        [FieldPanel("cycle_years"), FieldPanel("due_month"), FieldPanel("due_day")]
                    ),
                ],
                heading=gettext_lazy("Renewal cycle"),
            ),
            FieldPanel("expects_every_area"),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [FieldPanel("raters_required"), FieldPanel("void_rating_at_nei")]
                    ),
                    FieldPanel("supervisor_rater_required"),
                    FieldPanel("reviewers_required"),
                ],
                heading=gettext_lazy("Applications: references and review"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [
                            FieldPanel("registration_fee"),
                            FieldPanel("submission_fee"),
                            FieldPanel("renewal_fee"),
                        ]
                    ),
                ],
                heading=gettext_lazy("Fees"),
            ),
            FieldPanel("notes"),
            FieldPanel("is_default", read_only=True),
            InlinePanel("rules", heading=gettext_lazy("Rules"), label=gettext_lazy("Rule")),
        ],
        base_form_class=RequirementSetForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("association", "category")

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(
            new_version_url_name=self.get_url_name("new_version"), **kwargs
        )

    def get_urlpatterns(self):
        extra = path("new-version/<str:pk>/", self.new_version_view, name="new_version")
        return [*super().get_urlpatterns(), self._guard(extra)]

    def new_version_view(self, request, pk):
        current = get_object_or_404(RequirementSet, pk=pk)
        form = NewVersionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                created = start_new_version(requirement_set=current, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    _(
                        "“%(new)s” is in effect from %(day)s; “%(current)s” ends the day before. "
                        "Edit the new version's rules."
                    )
                    % {
                        "new": created.version,
                        "day": f"{created.effective_from:%Y-%m-%d}",
                        "current": current.version,
                    },
                )
                return redirect(self.get_url_name("edit"), created.pk)
        return TemplateResponse(
            request,
            "endorsement/admin/new_version.html",
            {
                "requirement_set": current,
                "form": form,
                "edit_url_name": self.get_url_name("edit"),
            },
        )


def requirement_set_policy() -> OrganizationScopedPolicy:
    """Association admins who may edit requirements do everything to their own sets."""
    return OrganizationScopedPolicy(
        RequirementSet,
        actions=dict.fromkeys(OBJECT_ACTIONS, Action.EDIT_REQUIREMENTS),
        owner_field="association",
    )


class ApplicationsMenuItem(MenuItem):
    def is_shown(self, request):
        return review.may_see_applications(request.user)


# The reviewer screens, at /admin/endorsement-applications/ (namespace applications_admin).
review_urls = [
    path("", review.application_list, name="applications"),
    path("<id:pk>/", review.application_detail, name="application"),
    path("<id:pk>/evidence/<id:tick_id>/", review.evidence, name="evidence"),
    path("fees/", fees.fee_list, name="fees"),
    path("<id:pk>/fee/", fees.fee_detail, name="fee"),
    path("endorsements/<id:pk>/revoke/", revocation.revoke, name="revoke_endorsement"),
]
