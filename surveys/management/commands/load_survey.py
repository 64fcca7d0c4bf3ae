from django.core.management.base import BaseCommand, CommandError

from surveys.seeding import SEEDS, survey_load_seed


class Command(BaseCommand):
    help = "Load a seeded questionnaire (default: qingdao-2022). A survey that exists is left unchanged."

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", default="qingdao-2022", help=f"one of: {', '.join(SEEDS)}")

    def handle(self, *args, slug, **options):
        if slug not in SEEDS:
            raise CommandError(f"Unknown survey {slug!r}; known: {', '.join(SEEDS)}")
        survey, created = survey_load_seed(slug=slug)
        self.stdout.write(f"Survey {slug}: {'created' if created else 'already there, unchanged'} "
                          f"({survey.questions.count()} questions).")
