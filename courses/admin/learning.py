"""Wagtail admin for post-tests, evaluation surveys and access codes, scoped per organization
through the permission table, and the learning reports' menu item (``wagtail_hooks``
registers them)."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from lms.organizations.admin import (
    OrganizationScopedForm,
    OrganizationScopedPolicy,
    OrganizationScopedViewSet,
)
from lms.organizations.permissions import Action
from lms.organizations.selectors import can_anywhere, organizations_where

from ..models import AccessCode, EvaluationSurvey, Quiz, TrainingPage
from ..selectors.learning import trainings_of
from ..selectors.ownership import association_for_page
from .columns import yes_no

EDITING = dict.fromkeys(("add", "change", "delete", "view"), Action.EDIT_TRAINING)
# The snippets of this module, each scoped by the same rule: editors of its organization.
EDITED_MODELS = (Quiz, EvaluationSurvey, AccessCode)


def editing_policy(model) -> OrganizationScopedPolicy:
    return OrganizationScopedPolicy(model, actions=EDITING)


class QuizViewSet(OrganizationScopedViewSet):
    model = Quiz
    icon = "form"
    menu_label = gettext_lazy("Post-tests")
    list_display = ["title", "slug", "organization", "pass_mark_percent"]
    list_filter = ["organization"]
    search_fields = ["title", "slug"]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("slug"),
            FieldPanel("organization"),
            FieldRowPanel(
                [FieldPanel("pass_mark_percent"), FieldPanel("max_attempts"), FieldPanel("shuffle")]
            ),
            MultiFieldPanel(
                [
                    FieldPanel("feedback", widget=forms.RadioSelect),
                    FieldPanel("reveal_answers", widget=forms.RadioSelect),
                ],
                heading=gettext_lazy("What learners see after an attempt"),
            ),
            FieldPanel("questions"),
        ],
        base_form_class=OrganizationScopedForm,
    )


class SurveyViewSet(OrganizationScopedViewSet):
    model = EvaluationSurvey
    icon = "list-ul"
    menu_label = gettext_lazy("Evaluation surveys")
    list_display = ["title", "organization"]
    search_fields = ["title"]
    edit_handler = ObjectList(
        [FieldPanel("title"), FieldPanel("organization"), FieldPanel("items")],
        base_form_class=OrganizationScopedForm,
    )


class AccessCodeForm(OrganizationScopedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "training" in self.fields:
            trainings = TrainingPage.objects.none()
            for organization in organizations_where(
                user=self.for_user, action=Action.EDIT_TRAINING
            ).select_related("site__root_page"):
                trainings |= trainings_of(organization=organization)
            self.fields["training"].queryset = trainings.order_by("title")

    def clean(self):
        cleaned = super().clean()
        training, organization = cleaned.get("training"), cleaned.get("organization")
        if training and organization:
            owner = association_for_page(page=training)
            if organization not in {owner, training.specific.provider}:
                raise ValidationError(
                    {"training": gettext_lazy("Choose a training in this organization's catalog.")}
                )
        return cleaned


class AccessCodeViewSet(OrganizationScopedViewSet):
    model = AccessCode
    icon = "key"
    menu_label = gettext_lazy("Access codes")
    list_display = [
        "code",
        "training",
        "label",
        "max_uses",
        "expires_at",
        yes_no(AccessCode, "active", label=gettext_lazy("Active")),
    ]
    list_filter = ["organization", "active"]
    search_fields = ["code", "label"]
    edit_handler = ObjectList(
        [
            FieldPanel("code"),
            FieldPanel("label"),
            FieldPanel("organization"),
            FieldPanel("training"),
            FieldRowPanel([FieldPanel("max_uses"), FieldPanel("expires_at")]),
            FieldPanel("active"),
            FieldPanel("covers_fee"),
        ],
        base_form_class=AccessCodeForm,
    )


class LearningGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Learning")
    menu_icon = "form"
    menu_order = 230
    items = (QuizViewSet, SurveyViewSet, AccessCodeViewSet)


class ReportsMenuItem(MenuItem):
    """Learning reports, for people who may see their organization's issued records."""

    def is_shown(self, request):
        return can_anywhere(user=request.user, action=Action.VIEW_ISSUED_RECORDS)


def learning_reports_menu_item():
    return ReportsMenuItem(
        gettext_lazy("Learning reports"), reverse("learning:reports"), icon_name="table", order=240
    )
