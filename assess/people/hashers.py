"""How passwords are stored: Argon2id at the first setting OWASP's Password Storage Cheat
Sheet recommends (19 MiB of memory, 2 passes, 1 lane).

Django's default, PBKDF2 with 1,500,000 rounds, costs 0.4 to 0.8 s of CPU per sign-in on
the 2-core machines this runs on; forty facilitators signing in in the first minute of a
busy day queued every other request behind them (bench/RESULTS.md, issue #34). Argon2id
costs a few milliseconds of CPU and makes each guess cost memory, which is what slows
cracking on GPUs. Hashes made with PBKDF2 still verify and are rehashed with Argon2id at the
person's next sign-in (Django does this when the first hasher in PASSWORD_HASHERS differs)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    # The algorithm name stays "argon2": the hash is standard Argon2id and records its own
    # parameters, so a later change of these values rehashes at the next sign-in.
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
