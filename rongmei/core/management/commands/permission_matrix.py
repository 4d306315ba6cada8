from django.core.management.base import BaseCommand

from rongmei.core.roles import matrix_markdown


class Command(BaseCommand):
    help = "Print the role permission matrix as Markdown (the table in docs/permissions.md)."

    def handle(self, *args, **options):
        self.stdout.write(matrix_markdown(), ending="")
