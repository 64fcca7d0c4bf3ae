#!/usr/bin/env python
"""Django's command-line utility for sciday."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciday.settings")
    if "SECRET_KEY" not in os.environ and "DATABASE_URL" not in os.environ:
        # A developer's checkout (no deployment environment at all): DEBUG with the embedded
        # SQLite database. A deployment sets SECRET_KEY, and then DEBUG stays off unless asked for.
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
