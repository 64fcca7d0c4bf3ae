"""sciday's password hasher: argon2id with OWASP's minimum parameters instead of Django's default.

Django's Argon2PasswordHasher uses m = 100 MiB, t = 2, p = 8: one check costs about 0.2 s of CPU and
lifts a gunicorn worker's peak memory by about 100 MiB, so a deadline surge of logins queued for
seconds (issue #18). OWASP's Password Storage Cheat Sheet gives m = 19 MiB (19,456 KiB), t = 2,
p = 1 as the minimum for argon2id; measured here (bench/login.py, README) it costs about 8× less
CPU and 5× less memory per login. It stays memory-hard: a GPU guess costs 19 MiB of fast memory.

The algorithm name stays ``argon2``, so hashes made with Django's parameters are still verified, and
Django rehashes them with these parameters at the owner's next successful login (``must_update``).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class SciDayArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19456  # KiB = 19 MiB
    parallelism = 1
