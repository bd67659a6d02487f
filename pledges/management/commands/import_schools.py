from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pledges.schools import SchoolsFileError, import_schools, rebuild_postcode_areas


class Command(BaseCommand):
    help = "Load or update schools from the GIAS 'all establishment data' CSV (upsert by URN)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options) -> None:
        if not path.is_file():
            raise CommandError(f"{path} is not a file")

        def progress(read: int, stored: int) -> None:
            self.stdout.write(f"{read:,} rows read, {stored:,} schools stored so far")
            self.stdout.flush()

        try:
            stored = import_schools(path, progress=progress)
        except SchoolsFileError as exc:
            raise CommandError(str(exc)) from None
        areas = rebuild_postcode_areas()
        self.stdout.write(f"Imported {stored:,} schools from {path}; {areas:,} postcode areas placed in constituencies")
