"""bench/rollup_transfer.py's server: the benchmark settings plus a test authenticator for the transfer app."""

from bench.settings_bench import *  # noqa: F403

ROOT_URLCONF = "bench.urls_transfer"
