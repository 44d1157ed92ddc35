"""Centers' rows, owned by organizations: contracts with associations, the staff roster and
the seats staff take (``centers`` holds the pages and services that use them).

Trainings are Wagtail pages that ``courses`` defines; organizations never imports courses, so
contracts point at ``wagtailcore.Page`` and the page chooser limits the types by name.
``models`` re-exports every class here, so they are ``lms.organizations.models.Contract`` etc.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel, get_all_child_relations
from wagtail.models import Orderable

from .kinds import OrganizationKind


class ContractStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("contract status", "Draft")
    ACTIVE = "active", pgettext_lazy("contract status", "Active")
    ENDED = "ended", pgettext_lazy("contract status", "Ended")


class Contract(ClusterableModel):
    """An association's agreement to train a center's staff: which trainings, how many seats,
    for how long. Moves draft → active → ended through ``centers.services``."""

    association = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="contracts_given",
        limit_choices_to={"kind": OrganizationKind.ASSOCIATION},
        verbose_name=_("association"),
    )
    center = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="contracts",
        limit_choices_to={"kind": OrganizationKind.CENTER},
        verbose_name=_("center"),
    )
    title = models.CharField(
        _("title"), max_length=200, help_text=_("e.g. Home visitors' foundations 2026.")
    )
    seat_count = models.PositiveIntegerField(
        _("seats"), help_text=_("How many trainings the center's staff may take on this contract.")
    )
    # Kept by the seat services under the contract's row lock; the check below makes the
    # database refuse an over-assignment even if a caller forgot the lock.
    seats_used = models.PositiveIntegerField(_("seats used"), default=0, editable=False)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=ContractStatus.choices,
        default=ContractStatus.DRAFT,
        editable=False,
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(seats_used__lte=models.F("seat_count")),
                name="organizations_contract_seats_not_over_assigned",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="organizations_contract_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ContractStatus.values),
                name="organizations_contract_known_status",
            ),
        ]
        indexes = [models.Index(fields=["center", "status"])]

    def __str__(self):
        return f"{self.title} ({self.center.display_name})"

    def save(self, **kwargs):
        # An edit in the admin must never write back the seat count it read when the form
        # opened: ``seats_used`` changes only through the seat services' own updates.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                *(
                    f.attname
                    for f in self._meta.concrete_fields
                    if not f.primary_key and f.name != "seats_used"
                ),
                *(rel.get_accessor_name() for rel in get_all_child_relations(self)),
            ]
        super().save(**kwargs)

    @property
    def seats_free(self) -> int:
        return self.seat_count - self.seats_used

    def is_open_on(self, day) -> bool:
        return self.status == ContractStatus.ACTIVE and self.starts_on <= day <= self.ends_on


class ContractTraining(Orderable):
    """A training included in a contract: from the catalog, or a private cohort built for the
    center that only its staff see and enroll in."""

    contract = ParentalKey(Contract, on_delete=models.CASCADE, related_name="trainings")
    training = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("training"),
        help_text=_("A course, webinar or live session."),
    )
    private = models.BooleanField(
        _("private cohort"),
        default=False,
        help_text=_("Only this center's staff see the training and enroll in it (on a seat)."),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "training"], name="organizations_contract_training_once"
            ),
            # A private cohort belongs to one center: one contract names it private.
            models.UniqueConstraint(
                fields=["training"],
                condition=models.Q(private=True),
                name="organizations_private_cohort_one_contract",
            ),
        ]

    def __str__(self):
        return f"{self.training_id} in {self.contract_id}"


class CenterProgram(models.Model):
    """A program within a center (e.g. Early Head Start), for grouping its staff."""

    center = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="programs",
        limit_choices_to={"kind": OrganizationKind.CENTER},
    )
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "center", Lower("name"), name="organizations_program_name_once_per_center"
            ),
        ]

    def __str__(self):
        return self.name


class StaffStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Joined")
    REMOVED = "removed", _("Removed by the center")
    LEFT = "left", _("Left the center")


ON_ROSTER = (StaffStatus.INVITED, StaffStatus.ACTIVE)


class StaffMember(models.Model):
    """A person on a center's roster.

    The account, its records and its portfolio stay the person's own: the roster only says
    that they work here. Joining (accepting the invitation) shares their progress on the
    center's contracted trainings; anything more needs their consent.
    """

    center = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="staff_members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="center_staff"
    )
    roster_name = models.CharField(
        max_length=200, blank=True, help_text=_("The name the center entered.")
    )
    job_role = models.CharField(max_length=120, blank=True)
    program = models.ForeignKey(
        CenterProgram, on_delete=models.SET_NULL, null=True, blank=True, related_name="staff"
    )
    status = models.CharField(
        max_length=8, choices=StaffStatus.choices, default=StaffStatus.INVITED
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["center", "user"], name="organizations_staff_once"),
            models.CheckConstraint(
                condition=models.Q(status__in=StaffStatus.values),
                name="organizations_staff_known_status",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="active") | models.Q(joined_at__isnull=False),
                name="organizations_staff_joined_has_time",
            ),
        ]
        indexes = [models.Index(fields=["center", "status"])]

    def __str__(self):
        return f"{self.display_name} at {self.center_id}"

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.roster_name or self.user.email

    @property
    def has_joined(self) -> bool:
        return self.status == StaffStatus.ACTIVE


class SeatStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    RELEASED = "released", _("Released")


class SeatAssignment(models.Model):
    """One seat of a contract given to one staff member for one of its trainings.

    An assigned seat counts in ``Contract.seats_used`` until it is released; a seat whose
    training was completed stays assigned (it was used).
    """

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="seats")
    contract_training = models.ForeignKey(
        ContractTraining, on_delete=models.PROTECT, related_name="seats"
    )
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="seats")
    status = models.CharField(max_length=8, choices=SeatStatus.choices, default=SeatStatus.ASSIGNED)
    assigned_at = models.DateTimeField(auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract_training", "staff"],
                condition=models.Q(status="assigned"),
                name="organizations_one_seat_per_training_and_person",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=SeatStatus.values),
                name="organizations_seat_known_status",
            ),
            models.CheckConstraint(
                condition=models.Q(status="assigned") | models.Q(released_at__isnull=False),
                name="organizations_released_seat_has_time",
            ),
        ]
        indexes = [models.Index(fields=["contract", "status"])]

    def __str__(self):
        return f"Seat {self.pk} of contract {self.contract_id}"

    @property
    def seat_ref(self) -> str:
        """How the enrollment names the seat it uses."""
        return f"center-seat:{self.pk}"


class RosterImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Imported")
    DISCARDED = "discarded", _("Discarded")


class RosterImport(models.Model):
    """A roster file as read, line by line, awaiting the manager's confirmation."""

    center = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(max_length=255, blank=True)
    status = models.CharField(
        max_length=10, choices=RosterImportStatus.choices, default=RosterImportStatus.PREVIEW
    )
    # One entry per data line: {"line", "email", "name", "job_role", "program", "outcome",
    # "message"}; outcome is "new", "existing", "on_roster" or "error".
    rows = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename or 'Roster'} ({self.get_status_display()})"

    @property
    def errors(self) -> list[dict]:
        return [row for row in self.rows if row["outcome"] == "error"]

    @property
    def valid_rows(self) -> list[dict]:
        return [row for row in self.rows if row["outcome"] in ("new", "existing")]
