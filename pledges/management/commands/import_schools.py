from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pledges.schools import SchoolsFileError, import_schools


class Command(BaseCommand):
    help = "Load or update schools from the GIAS 'all establishment data' CSV (upsert by URN)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options) -> None:
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        try:
            stored = import_schools(path)
        except SchoolsFileError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Imported {stored} schools from {path}")
