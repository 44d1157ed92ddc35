import datetime

from django.core.management.base import BaseCommand, CommandError

from lms.accounts.models import User
from lms.competencies.models import EndorsementCategory

from ... import exports
from ...selectors.exports import export_data


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{value!r} is not a date (use YYYY-MM-DD).") from exc


class Command(BaseCommand):
    help = (
        "Write a learner's training record for an endorsement application to standard output: "
        "CSV (training entries, or the RSC log with --rsc) or JSON (both)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="The learner's e-mail address.")
        parser.add_argument("--format", required=True, choices=["csv", "json"])
        parser.add_argument("--since", help="Only records on or after this date (YYYY-MM-DD).")
        parser.add_argument("--until", help="Only records on or before this date (YYYY-MM-DD).")
        parser.add_argument("--category", help="Endorsement category code, e.g. IFS.")
        parser.add_argument("--rsc", action="store_true", help="CSV: the RSC log instead.")

    def handle(self, *args, **options):
        user, fmt = options["user"], options["format"]
        since, until = options.get("since"), options.get("until")
        category, rsc = options.get("category"), options.get("rsc", False)
        learner = User.objects.filter(email__iexact=user.strip()).first()
        if learner is None:
            raise CommandError(f"No user with the e-mail address {user!r}.")
        since_date = _date(since) if since else None
        until_date = _date(until) if until else None
        if since_date and until_date and since_date > until_date:
            raise CommandError("--since must not be after --until.")
        category_obj = None
        if category:
            category_obj = EndorsementCategory.objects.filter(code__iexact=category).first()
            if category_obj is None:
                raise CommandError(f"No endorsement category {category!r}.")
        data = export_data(
            learner=learner, since=since_date, until=until_date, category=category_obj
        )
        if fmt == "json":
            self.stdout.write(exports.export_json(data), ending="")
        elif rsc:
            self.stdout.write(exports.rsc_log_csv(data), ending="")
        else:
            self.stdout.write(exports.training_csv(data), ending="")
