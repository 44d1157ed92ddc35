"""The "Association review" workflow task: reviewers of the page's own association decide."""

from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Task, TaskState

from lms.organizations.permissions import Action
from lms.organizations.selectors import organizations_where, user_can


class AssociationReviewTask(Task):
    """Approval by a reviewer of the association whose site holds the page.

    Reviewers of another association have no actions here, and approval is offered only
    when the submitted version could be published (allocation and facilitators complete).
    """

    admin_form_fields = Task.admin_form_fields

    class Meta:
        verbose_name = _("association review")
        verbose_name_plural = _("association reviews")

    @staticmethod
    def _association(obj):
        from ..selectors.ownership import association_for_page

        return association_for_page(page=obj) if isinstance(obj, Page) else None

    def user_is_reviewer(self, obj, user) -> bool:
        return user_can(
            user=user, action=Action.REVIEW_TRAINING, organization=self._association(obj)
        )

    def user_can_access_editor(self, obj, user):
        return self.user_is_reviewer(obj, user)

    def locked_for_user(self, obj, user):
        return not self.user_is_reviewer(obj, user)

    def user_can_lock(self, obj, user):
        return self.user_is_reviewer(obj, user)

    def get_actions(self, obj, user):
        if not self.user_is_reviewer(obj, user):
            return []
        actions = [("reject", _("Request changes"), True)]
        if self.submitted_version_is_publishable(obj):
            actions += [
                ("approve", _("Approve and publish"), False),
                ("approve", _("Approve with comment"), True),
            ]
        return actions

    @staticmethod
    def submitted_version_is_publishable(obj) -> bool:
        from ..selectors.publication import publication_errors

        return not publication_errors(page=obj.get_latest_revision_as_object())

    def get_task_states_user_can_moderate(self, user, **kwargs):
        roots = [
            org.site.root_page.path
            for org in organizations_where(user=user, action=Action.REVIEW_TRAINING)
            .filter(site__isnull=False)
            .select_related("site__root_page")
        ]
        if not roots:
            return TaskState.objects.none()
        pages = Page.objects.none()
        for path in roots:
            pages |= Page.objects.filter(path__startswith=path)
        page_ids = pages.annotate(str_id=Cast("id", CharField())).values("str_id")
        return self.task_states.filter(
            status=TaskState.STATUS_IN_PROGRESS, workflow_state__object_id__in=page_ids
        )

    @classmethod
    def get_description(cls):
        return _("Reviewers of the association that owns the page approve or request changes.")
