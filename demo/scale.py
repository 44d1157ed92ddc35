"""A platform at scale, seeded in minutes: learners with their training records, an
association's catalog and a center whose staff hold seats. Used by ``manage.py seed_scale``
and ``benchmarks/scale.py``.

Learners, their profiles and records (with each record's competency-area hours and
facilitator) are the large tables: they are written in bulk, with ``COPY`` on PostgreSQL and
batched inserts elsewhere, with ids handed out here and the sequences moved past them at the
end. Values come from Django's own fields (``get_db_prep_save``), so that a row written here
is the row the ORM would write. The rest (catalog pages, the center, its contract and seats)
is small and goes through the ORM. It lives in ``courses`` because it seeds every package
``courses`` depends on.
"""

import datetime
import io
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from wagtail.models import Page, Site

from courses.models import (
    CoursePage,
    Enrollment,
    EnrollmentSource,
    EnrollmentStatus,
    HomePage,
    TrainingAreaHours,
)
from courses.selectors.catalog import CATALOG
from courses.services.authoring import ensure_catalog
from lms.accounts.models import ConsentScope, LearnerProfile, SharingConsent, User
from lms.competencies.models import CompetencyArea, EndorsementCategory
from lms.organizations.models import (
    Contract,
    ContractTraining,
    Membership,
    Organization,
    OrganizationKind,
    Role,
    SeatAssignment,
    StaffMember,
    StaffStatus,
)
from lms.records.models import (
    PlatformCompletion,
    RecordAreaHours,
    RecordFacilitator,
    TrainingRecord,
)

CHUNK = 50_000
FIRST_DAY = datetime.date(2016, 1, 1)


class AlreadySeeded(Exception):
    """The database already holds a seed with this prefix."""


@dataclass
class SeedResult:
    prefix: str
    learners: int
    records: int
    trainings: int
    staff: int
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def association_slug(prefix: str) -> str:
    return f"{prefix}-association"


def center_slug(prefix: str) -> str:
    return f"{prefix}-center"


def learner_email(prefix: str, index: int) -> str:
    return f"{prefix}-learner-{index}@attune.example"


def manager_email(prefix: str) -> str:
    return f"{prefix}-manager@attune.example"


def _columns(model) -> list:
    """The columns of ``model``'s own table (a subtype's parent columns live in the parent's)."""
    return list(model._meta.local_concrete_fields)


def _prepared(model, instance) -> list:
    """The values the ORM would write for ``instance``, in ``_columns`` order."""
    return [f.get_db_prep_save(f.pre_save(instance, add=True), connection) for f in _columns(model)]


def _write(model, rows: Iterable[tuple]) -> int:
    """Write ``rows`` (prepared values in ``_columns`` order) into ``model``'s table, then move
    its id sequence past them, so that the ORM's next insert gets a fresh id."""
    columns = [f.column for f in _columns(model)]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    written = 0
    rows = iter(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg 3: COPY streams the rows; the server parses them in one pass.
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - names from _meta
            while batch := list(islice(rows, 5_000)):
                cursor.executemany(sql, batch)
                written += len(batch)
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)
    return written


def _next_id(model) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _rows_from(model, template, varying: dict[str, Callable[[int], object]], ids) -> Iterator:
    """One row per id: ``template``'s prepared values with the ``varying`` fields (attname →
    function of the id) prepared for each row."""
    fields = _columns(model)
    base = _prepared(model, template)
    slots = [(i, f, varying[f.attname]) for i, f in enumerate(fields) if f.attname in varying]
    for pk in ids:
        row = list(base)
        for i, f, value in slots:
            row[i] = f.get_db_prep_save(value(pk), connection)
        yield tuple(row)


def _seed_users(prefix: str, count: int, now) -> range:
    first = _next_id(User)
    ids = range(first, first + count)
    template = User(
        email="",
        first_name="Scale",
        last_name="",
        password=make_password(None),  # unusable: these accounts never sign in
        date_joined=now,
        is_active=True,
    )
    _write(
        User,
        _rows_from(
            User,
            template,
            {
                "id": lambda pk: pk,
                "email": lambda pk: learner_email(prefix, pk - first),
                "last_name": lambda pk: f"Learner {pk - first:06d}",
            },
            ids,
        ),
    )
    return ids


def _seed_profiles(user_ids: range, association, category) -> None:
    first = _next_id(LearnerProfile)
    template = LearnerProfile(user_id=0, association=association, target_category=category)
    offset = first - user_ids.start
    _write(
        LearnerProfile,
        _rows_from(
            LearnerProfile,
            template,
            {"id": lambda pk: pk, "user_id": lambda pk: pk - offset},
            range(first, first + len(user_ids)),
        ),
    )


def _seed_records(prefix: str, user_ids: range, count: int, provider, out) -> range:
    """``count`` platform completions spread evenly over the learners, written in chunks."""
    first = _next_id(TrainingRecord)
    ids = range(first, first + count)
    learners = len(user_ids)
    areas = {a.code: a.pk for a in CompetencyArea.objects.filter(code__in=["TF", "REF"])}
    ctype = ContentType.objects.get_for_model(PlatformCompletion)
    template = TrainingRecord(
        polymorphic_ctype=ctype,
        learner_id=user_ids.start,
        source_key="",
        title="",
        provider_name=provider.name,
        provider_organization=provider,
        completed_on=FIRST_DAY,
        duration_hours=Decimal("1.50"),
        delivery_format="self_paced",
        verification_tier="platform_verified",
    )
    varying = {
        "id": lambda pk: pk,
        "verification_id": lambda pk: uuid.uuid4(),
        "learner_id": lambda pk: user_ids.start + (pk - first) % learners,
        "source_key": lambda pk: f"{prefix}:{pk - first}",
        "title": lambda pk: f"Scale training {(pk - first) % 997}",
        "completed_on": lambda pk: FIRST_DAY + datetime.timedelta(days=(pk - first) % 3650),
        "dei": lambda pk: (pk - first) % 10 == 0,
    }
    hours_first = _next_id(RecordAreaHours)
    area_of = (areas["TF"], areas["REF"])
    hours_of = (Decimal("1.00"), Decimal("0.50"))
    hours = {
        "id": lambda pk: pk,
        "record_id": lambda pk: first + (pk - hours_first) // 2,
        "area_id": lambda pk: area_of[(pk - hours_first) % 2],
        "hours": lambda pk: hours_of[(pk - hours_first) % 2],
    }
    facilitator_first = _next_id(RecordFacilitator)
    named = {"id": lambda pk: pk, "record_id": lambda pk: first + pk - facilitator_first}
    for start in range(first, first + count, CHUNK):
        chunk = range(start, min(start + CHUNK, first + count))
        _write(TrainingRecord, _rows_from(TrainingRecord, template, varying, chunk))
        _write(
            PlatformCompletion,
            _rows_from(
                PlatformCompletion,
                PlatformCompletion(trainingrecord_ptr_id=0),
                {"trainingrecord_ptr_id": lambda pk: pk},
                chunk,
            ),
        )
        offset = 2 * (chunk.start - first)
        _write(
            RecordAreaHours,
            _rows_from(
                RecordAreaHours,
                RecordAreaHours(record_id=0, area_id=0, hours=Decimal(1)),
                hours,
                range(hours_first + offset, hours_first + offset + 2 * len(chunk)),
            ),
        )
        offset = chunk.start - first
        _write(
            RecordFacilitator,
            _rows_from(
                RecordFacilitator,
                RecordFacilitator(record_id=0, name="Dana Whitfield"),
                named,
                range(facilitator_first + offset, facilitator_first + offset + len(chunk)),
            ),
        )
        out(f"  records: {chunk.stop - first:,} of {count:,}")
    return ids


def _association(prefix: str) -> Organization:
    """An association with its own site, home page and published catalog."""
    slug = association_slug(prefix)
    org = Organization.objects.create(
        slug=slug,
        name=f"{prefix.title()} Association",
        short_name=prefix.upper()[:8],
        kind=OrganizationKind.ASSOCIATION,
    )
    home = Page.get_first_root_node().add_child(instance=HomePage(title=org.name, slug=slug))
    org.site = Site.objects.create(
        hostname=f"{prefix}.localhost", port=80, root_page=home, site_name=org.short_name
    )
    org.save()
    return org


def _catalog(org: Organization, count: int) -> list[CoursePage]:
    """``count`` live self-paced courses, built without revisions as an import would."""
    catalog = ensure_catalog(organization=org)
    areas = {a.code: a for a in CompetencyArea.objects.filter(code__in=["TF", "REF"])}
    published = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    pages = []
    for n in range(count):
        page = CoursePage(
            title=f"Scale course {n:04d}",
            slug=f"scale-course-{n:04d}",
            summary="A course of the scale seed.",
            contact_hours=Decimal("1.5"),
            provider=org,
            delivery_format="self_paced",
            first_published_at=published,
        )
        catalog.add_child(instance=page)
        pages.append(page)
    TrainingAreaHours.objects.bulk_create(
        [
            TrainingAreaHours(page=page, area=areas[code], hours=hours)
            for page in pages
            for code, hours in (("TF", Decimal(1)), ("REF", Decimal("0.5")))
        ]
    )
    return pages


def _center(prefix: str, association, training, user_ids: range, now) -> Organization:
    """A center whose staff (the first learners) joined and hold a seat in ``training``: a
    third finished it, half share their portfolio with the center."""
    center = Organization.objects.create(
        slug=center_slug(prefix),
        name=f"{prefix.title()} Family Services",
        kind=OrganizationKind.CENTER,
    )
    manager = User.objects.create_user(
        email=manager_email(prefix), password=None, first_name="Scale", last_name="Manager"
    )
    Membership.objects.create(user=manager, organization=center, role=Role.MANAGER)
    contract = Contract.objects.create(
        association=association,
        center=center,
        title=f"{center.name} staff training",
        seat_count=len(user_ids),
        status="active",
        starts_on=now.date() - datetime.timedelta(days=30),
        ends_on=now.date() + datetime.timedelta(days=300),
    )
    line = ContractTraining.objects.create(contract=contract, training=training)
    people = StaffMember.objects.bulk_create(
        [
            StaffMember(center=center, user_id=pk, status=StaffStatus.ACTIVE, joined_at=now)
            for pk in user_ids
        ],
        batch_size=1_000,
    )
    SeatAssignment.objects.bulk_create(
        [SeatAssignment(contract=contract, contract_training=line, staff=p) for p in people],
        batch_size=1_000,
    )
    Enrollment.objects.bulk_create(
        [
            Enrollment(
                learner_id=pk,
                training_id=training.pk,
                source=EnrollmentSource.SEAT,
                status=EnrollmentStatus.COMPLETED if i % 3 == 0 else EnrollmentStatus.ACTIVE,
                completed_at=now if i % 3 == 0 else None,
            )
            for i, pk in enumerate(user_ids)
        ],
        batch_size=1_000,
    )
    SharingConsent.objects.bulk_create(
        [
            SharingConsent(
                user_id=pk,
                organization=center,
                scope=ConsentScope.CENTER_PORTFOLIO,
                granted_at=now,
            )
            for pk in user_ids[::2]
        ],
        batch_size=1_000,
    )
    return center


def seed_scale(
    *,
    learners: int,
    records: int,
    trainings: int | None = None,
    staff: int = 500,
    prefix: str = "scale",
    out: Callable[[str], None] = lambda text: None,
) -> SeedResult:
    """Seed ``learners`` learners with ``records`` records between them, an association whose
    catalog holds ``trainings`` courses (by default one per 200 learners, at least 20) and a
    center of ``staff`` of those learners. Refuses a ``prefix`` already seeded, changing
    nothing."""
    if learners < 1 or records < 0 or staff < 0 or (trainings is not None and trainings < 1):
        raise ValueError("learners must be at least 1; records, staff and trainings positive.")
    if Organization.objects.filter(slug=association_slug(prefix)).exists():
        raise AlreadySeeded(
            f"This database already holds the seed {prefix!r}: use another --prefix or an "
            "empty database."
        )
    trainings = trainings or max(20, learners // 200)
    staff = min(staff, learners)
    result = SeedResult(prefix, learners, records, trainings, staff)
    now = timezone.now()

    def step(name, fn):
        started = time.perf_counter()
        value = fn()
        result.seconds[name] = round(time.perf_counter() - started, 2)
        out(f"{name}: {result.seconds[name]:.1f} s")
        return value

    if not CompetencyArea.objects.exists():
        step("framework", lambda: call_command("load_framework", stdout=io.StringIO()))
    with transaction.atomic():
        association = step("association", lambda: _association(prefix))
        call_command(
            "load_requirement_defaults", association=association.slug, stdout=io.StringIO()
        )
        pages = step("catalog", lambda: _catalog(association, trainings))
        category = EndorsementCategory.objects.filter(code="IFS").first()
        user_ids = step("learners", lambda: _seed_users(prefix, learners, now))
        step("profiles", lambda: _seed_profiles(user_ids, association, category))
        step("records", lambda: _seed_records(prefix, user_ids, records, association, out))
        step("center", lambda: _center(prefix, association, pages[0], user_ids[:staff], now))
    # The area rows were written in bulk after the pages: no catalog rendered in between stays.
    CATALOG.advance()
    if connection.vendor == "postgresql":
        # Fresh statistics, so that the planner sees the tables as they now are.
        step("analyze", lambda: connection.cursor().execute("ANALYZE"))
    return result
