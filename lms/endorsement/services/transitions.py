"""What every step on an application shares: the row lock, the check of the status a step
starts from, the check that the applicant makes the change, the rules in effect for the
application, and e-mail sent once the change is committed.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.organizations.branding import brand_for_organization
from lms.organizations.mail import send_branded_mail_on_commit

from ..models import Application, RequirementSet


class WrongStatusError(ValidationError):
    """The application is not in a status this step starts from."""


def locked_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("learner", "association", "category", "endorsement")
        .get(pk=application.pk)
    )


def require_status(application: Application, *statuses, action: str) -> None:
    if application.status not in statuses:
        raise WrongStatusError(
            _("This application is %(status)s; it cannot be %(action)s now.")
            % {"status": application.get_status_display().lower(), "action": action}
        )


def require_applicant(application: Application, learner) -> None:
    if application.learner_id != learner.pk:
        raise PermissionError(_("Only the applicant can change their application."))


def mail_after_commit(subject: str, template: str, context: dict, to: str, *, association) -> None:
    """Sent in the association's brand once the transaction commits."""
    send_branded_mail_on_commit(
        brand=brand_for_organization(association),
        subject=subject,
        template=template,
        context=context,
        to=[to],
    )


def application_rules(application: Application) -> RequirementSet:
    found = (
        RequirementSet.objects.filter(
            association=application.association,
            category=application.category,
            kind=application.kind,
        )
        .in_effect(timezone.localdate())
        .first()
    )
    if found is None:
        raise ValidationError(
            _("%(association)s has no %(kind)s rules for %(code)s in effect today.")
            % {
                "association": application.association,
                "kind": application.get_kind_display().lower(),
                "code": application.category.code,
            }
        )
    return found
