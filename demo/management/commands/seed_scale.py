from django.core.management.base import BaseCommand, CommandError

from demo.scale import AlreadySeeded, seed_scale


class Command(BaseCommand):
    help = (
        "Seed a platform at scale for benchmarks: learners with training records, an "
        "association's catalog and a center's staff (COPY on PostgreSQL). "
        "E.g. --learners 100000 --records 1000000."
    )

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, required=True)
        parser.add_argument("--records", type=int, required=True)
        parser.add_argument(
            "--trainings", type=int, help="catalog courses (default: one per 200 learners, ≥ 20)"
        )
        parser.add_argument("--staff", type=int, default=500, help="the center's staff")
        parser.add_argument("--prefix", default="scale", help="names the seeded organizations")

    def handle(self, *args, learners, records, trainings, staff, prefix, **options):
        try:
            result = seed_scale(
                learners=learners,
                records=records,
                trainings=trainings,
                staff=staff,
                prefix=prefix,
                out=self.stdout.write,
            )
        except (AlreadySeeded, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {result.learners:,} learners, {result.records:,} records, "
                f"{result.trainings:,} catalog courses and a center of {result.staff:,} staff "
                f"in {result.total_seconds:.0f} s."
            )
        )
