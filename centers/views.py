"""Center pages: the staff's own (invitations, what they share), the manager's (roster,
seats, dashboard, export, contracts) and a faculty institute's library use.

Every manager view finds the center through the permission table for the signed-in user and
answers 404 when they may not act there, so that another center's pages are not even
confirmed to exist; every object (person, seat, file) is then looked up within that center.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from centers import services
from centers.dashboard import dashboard, export_lines
from centers.forms import (
    AddStaffForm,
    AssignSeatsForm,
    ClaimAccountForm,
    DashboardFilterForm,
    JoinForm,
    ProgramForm,
    RosterUploadForm,
    StaffEditForm,
)
from centers.progress import module_library_use, training_facts
from centers.roster_import import (
    RosterFileError,
    confirm_roster_import,
    discard_roster_import,
    read_roster_file,
    row_message,
)
from centers.selectors import (
    assigned_seats,
    center_for,
    centers_of_staff,
    contracts_of_center,
    managed_centers,
    open_contract_trainings,
    programs_of,
    roster,
    roster_import_for,
    seat_pool,
    staff_member,
)
from centers.values import SeatRefused
from lms.audit.models import AuditAction
from lms.audit.services import export_details, record_event
from lms.organizations.models import (
    ON_ROSTER,
    Organization,
    OrganizationKind,
    RosterImportStatus,
    SeatAssignment,
    SeatStatus,
    StaffMember,
)
from lms.organizations.permissions import Action
from lms.organizations.selectors import can_anywhere, organizations_where, user_can


def _center(request, slug, action=Action.MANAGE_ROSTER):
    center = center_for(user=request.user, slug=slug, action=action)
    if center is None:
        raise Http404
    return center


# ---------------------------------------------------------------------------------------------
# Everyone: the centers I work for, invitations, what I share


@login_required
@require_GET
def home(request):
    user = request.user
    institutes = organizations_where(user=user, action=Action.AUTHOR_MODULES).filter(
        kind=OrganizationKind.FACULTY_INSTITUTE
    )
    return render(
        request,
        "organizations/centers_home.html",
        {
            "rosters": list(centers_of_staff(user=user)),
            "managed": list(managed_centers(user=user)),
            "institutes": list(institutes.order_by("name")),
            "contracts_admin": can_anywhere(user=user, action=Action.MANAGE_CONTRACTS),
        },
    )


@require_http_methods(["GET", "POST"])
def join(request, token):
    """Accept an invitation. A person without a password sets one here (the link reached
    their inbox); anyone else signs in first, as the person invited."""
    staff = services.staff_for_invitation(token)
    if staff is None:
        return render(request, "organizations/join_invalid.html", status=404)
    invited = staff.user
    needs_password = not invited.has_usable_password()
    if not needs_password and not request.user.is_authenticated:
        messages.info(
            request,
            _("Sign in as %(email)s to answer the invitation.") % {"email": invited.email},
        )
        return redirect(f"{reverse('account_login')}?next={request.path}")
    if request.user.is_authenticated and request.user.pk != invited.pk:
        return render(
            request,
            "organizations/join_invalid.html",
            {"wrong_account": True, "email": invited.email},
            status=403,
        )
    form = JoinForm(request.POST or None)
    password_form = ClaimAccountForm(invited, request.POST or None) if needs_password else None
    valid = all([form.is_valid(), password_form is None or password_form.is_valid()])
    if request.method == "POST" and valid:
        password = password_form.cleaned_data["new_password1"] if password_form else None
        try:
            services.accept_invitation(
                staff=staff,
                user=invited,
                password=password,
                share_portfolio=form.cleaned_data["share_portfolio"],
            )
        except services.RosterError as error:
            messages.error(request, str(error))
            return redirect("centers:home")
        if password is not None:
            login(request, invited, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("You joined %(center)s.") % {"center": staff.center.name})
        return redirect("centers:home")
    return render(
        request,
        "organizations/join.html",
        {"staff": staff, "form": form, "password_form": password_form},
    )


def _my_roster_row(request, slug) -> StaffMember:
    staff = (
        StaffMember.objects.filter(user=request.user, center__slug=slug, status__in=ON_ROSTER)
        .select_related("center")
        .first()
    )
    if staff is None:
        raise Http404
    return staff


@login_required
@require_POST
def my_sharing(request, slug):
    staff = _my_roster_row(request, slug)
    share = request.POST.get("share") == "yes"
    try:
        services.set_portfolio_sharing(staff=staff, user=request.user, share=share)
    except services.RosterError as error:
        messages.error(request, str(error))
    else:
        if share:
            text = _("%(center)s now sees your portfolio and readiness.")
        else:
            text = _("%(center)s no longer sees your portfolio and readiness.")
        messages.success(request, text % {"center": staff.center.name})
    return redirect("centers:home")


@login_required
@require_POST
def my_leave(request, slug):
    staff = _my_roster_row(request, slug)
    services.leave_center(staff=staff, user=request.user)
    messages.success(
        request,
        _("You left %(center)s. Your records stay yours.") % {"center": staff.center.name},
    )
    return redirect("centers:home")


# ---------------------------------------------------------------------------------------------
# Managers: dashboard and export


def _filter_form(request, center):
    seats = assigned_seats(center=center).values_list(
        "contract_training__training_id", "contract_training__training__title"
    )
    trainings = sorted(set(seats), key=lambda item: item[1].lower())
    return DashboardFilterForm(
        request.GET or None, programs=programs_of(center=center), trainings=trainings
    )


@login_required
@require_GET
def dashboard_view(request, slug):
    center = _center(request, slug, Action.VIEW_STAFF_PROGRESS)
    data_form = _filter_form(request, center)
    filters = data_form.filters()
    data = dashboard(center=center, filters=filters)
    return render(
        request,
        "organizations/dashboard.html",
        {
            "center": center,
            "form": data_form,
            "applied": data_form.applied(),
            "data": data,
            "summary": data.summary,
            "charts": data.summary.chart_data(),
            "export_query": request.GET.urlencode(),
            "may_manage": user_can(
                user=request.user, action=Action.MANAGE_ROSTER, organization=center
            ),
        },
    )


@login_required
@require_GET
def dashboard_export(request, slug):
    center = _center(request, slug, Action.VIEW_STAFF_PROGRESS)
    filters = _filter_form(request, center).filters()
    record_event(
        action=AuditAction.DATA_EXPORTED, organization=center, details=export_details(request)
    )
    response = StreamingHttpResponse(
        export_lines(center=center, filters=filters, language=get_language()),
        content_type="text/csv; charset=utf-8",
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{center.slug}-staff-{day}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def center_contracts(request, slug):
    center = _center(request, slug, Action.VIEW_STAFF_PROGRESS)
    contracts = list(contracts_of_center(center=center))
    ids = {line.training_id for c in contracts for line in c.trainings.all()}
    facts = training_facts(training_ids=ids) if ids else {}
    rows = [
        (contract, [(line, facts.get(line.training_id)) for line in contract.trainings.all()])
        for contract in contracts
    ]
    return render(
        request,
        "organizations/center_contracts.html",
        {"center": center, "contracts": rows, "now": timezone.now()},
    )


# ---------------------------------------------------------------------------------------------
# Managers: the roster


@login_required
@require_http_methods(["GET", "POST"])
def roster_view(request, slug):
    center = _center(request, slug)
    form = AddStaffForm(request.POST or None, center=center)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            added = services.add_staff(
                center=center,
                email=data["email"],
                name=data["name"],
                job_role=data["job_role"],
                program=data["program"],
                by=request.user,
            )
        except services.RosterError as error:
            form.add_error("email", str(error))
        else:
            if added.new_account:
                text = _("%(email)s is on the roster (a new account) and invited to join.")
            else:
                text = _("%(email)s is on the roster (their existing account) and invited to join.")
            messages.success(request, text % {"email": added.staff.user.email})
            return redirect("centers:roster", slug=center.slug)
    return render(
        request,
        "organizations/roster.html",
        {
            "center": center,
            "form": form,
            "program_form": ProgramForm(),
            "programs": programs_of(center=center),
            "staff": roster(center=center).order_by("user__last_name", "user__first_name", "pk"),
        },
    )


@login_required
@require_POST
def add_program(request, slug):
    center = _center(request, slug)
    form = ProgramForm(request.POST)
    if form.is_valid():
        program = services.add_program(center=center, name=form.cleaned_data["name"])
        messages.success(
            request, _("Program “%(program)s” is available.") % {"program": program.name}
        )
    else:
        messages.error(request, _("Give the program a name."))
    return redirect("centers:roster", slug=center.slug)


def _staff(center, pk) -> StaffMember:
    staff = staff_member(center=center, pk=pk)
    if staff is None:
        raise Http404
    return staff


@login_required
@require_http_methods(["GET", "POST"])
def staff_detail(request, slug, pk):
    center = _center(request, slug)
    staff = _staff(center, pk)
    initial = {"job_role": staff.job_role, "program": staff.program}
    form = StaffEditForm(request.POST or None, center=center, initial=initial)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "save" and form.is_valid():
                services.update_staff(
                    staff=staff,
                    job_role=form.cleaned_data["job_role"],
                    program=form.cleaned_data["program"],
                )
                messages.success(request, _("Saved."))
            elif action == "resend":
                services.resend_invitation(staff=staff)
                messages.success(
                    request,
                    _("The invitation was sent again to %(email)s.") % {"email": staff.user.email},
                )
            elif action == "remove":
                services.remove_staff(staff=staff, by=request.user)
                messages.success(
                    request,
                    _(
                        "%(person)s is off the roster. Their account and records stay theirs; "
                        "unfinished seats went back to the contract."
                    )
                    % {"person": staff.display_name},
                )
                return redirect("centers:roster", slug=center.slug)
            elif action != "save":
                messages.error(request, _("Choose what to do."))
        except (services.RosterError, SeatRefused) as error:
            messages.error(request, str(error))
        if not form.errors:
            return redirect("centers:staff", slug=center.slug, pk=staff.pk)
    return render(
        request,
        "organizations/staff_detail.html",
        {
            "center": center,
            "staff": staff,
            "form": form,
            "seats": list(assigned_seats(center=center, staff_ids=[staff.pk])),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def roster_upload(request, slug):
    center = _center(request, slug)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            roster_import = read_roster_file(
                center=center, data=upload.read(), filename=upload.name, by=request.user
            )
        except RosterFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("centers:roster_preview", slug=center.slug, pk=roster_import.pk)
    return render(
        request,
        "organizations/roster_upload.html",
        {"center": center, "form": form, "programs": programs_of(center=center)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def roster_preview(request, slug, pk):
    center = _center(request, slug)
    roster_import = roster_import_for(center=center, pk=pk)
    if roster_import is None:
        raise Http404
    if request.method == "POST":
        try:
            if request.POST.get("action") == "discard":
                discard_roster_import(roster_import=roster_import)
                messages.info(request, _("The file was discarded; nothing was imported."))
                return redirect("centers:roster", slug=center.slug)
            added = confirm_roster_import(
                roster_import=roster_import,
                by=request.user,
                valid_rows_only=request.POST.get("valid_rows_only") == "yes",
            )
        except services.RosterError as error:
            messages.error(request, str(error))
            return redirect("centers:roster_preview", slug=center.slug, pk=roster_import.pk)
        messages.success(
            request,
            ngettext(
                "%(count)d person was added and invited.",
                "%(count)d people were added and invited.",
                added,
            )
            % {"count": added},
        )
        return redirect("centers:roster", slug=center.slug)
    # Each line's outcome in the reader's language, whoever uploaded the file.
    rows = [{**row, "message": row_message(row)} for row in roster_import.rows]
    counts = {
        outcome: sum(1 for r in rows if r["outcome"] == outcome)
        for outcome in ("new", "existing", "on_roster", "error")
    }
    return render(
        request,
        "organizations/roster_preview.html",
        {
            "center": center,
            "roster_import": roster_import,
            "rows": rows,
            "counts": counts,
            "is_preview": roster_import.status == RosterImportStatus.PREVIEW,
        },
    )


# ---------------------------------------------------------------------------------------------
# Managers: seats


@login_required
@require_http_methods(["GET", "POST"])
def seats_view(request, slug):
    center = _center(request, slug)
    lines = list(open_contract_trainings(center=center))
    people = list(roster(center=center).order_by("user__last_name", "user__first_name", "pk"))
    if request.method == "POST":
        form = AssignSeatsForm(request.POST, people=people)
        line = next(
            (
                x
                for x in lines
                if form.is_valid() and x.pk == form.cleaned_data["contract_training"]
            ),
            None,
        )
        if line is None:
            messages.error(
                request, _("Choose a training of an open contract and at least one person.")
            )
        else:
            chosen = [p for p in people if p.pk in set(form.cleaned_data["staff"])]
            try:
                seats = services.assign_seats(contract_training=line, staff=chosen, by=request.user)
            except SeatRefused as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d seat in “%(training)s” assigned; enrolled.",
                        "%(count)d seats in “%(training)s” assigned; enrolled.",
                        len(seats),
                    )
                    % {"count": len(seats), "training": line.training.title},
                )
        return redirect("centers:seats", slug=center.slug)
    pools = seat_pool(lines=lines, people=people)
    return render(request, "organizations/seats.html", {"center": center, "pools": pools})


@login_required
@require_POST
def seat_release(request, slug, pk):
    center = _center(request, slug)
    seat = SeatAssignment.objects.filter(
        pk=pk, contract__center=center, status=SeatStatus.ASSIGNED
    ).first()
    if seat is None:
        raise Http404
    try:
        services.release_seat(seat=seat, by=request.user)
    except SeatRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The seat went back to the contract; the enrollment is cancelled."),
        )
    back = request.POST.get("back")
    if back == "staff":
        return redirect("centers:staff", slug=center.slug, pk=seat.staff_id)
    return redirect("centers:seats", slug=center.slug)


# ---------------------------------------------------------------------------------------------
# Faculty institutes: where their library modules are used


@login_required
@require_GET
def institute_library(request, slug):
    institute = Organization.objects.filter(
        slug=slug, kind=OrganizationKind.FACULTY_INSTITUTE
    ).first()
    if institute is None or not user_can(
        user=request.user, action=Action.AUTHOR_MODULES, organization=institute
    ):
        raise Http404
    modules = module_library_use(organization=institute)
    return render(
        request,
        "organizations/institute_library.html",
        {"institute": institute, "modules": modules},
    )
