"""Argon2 with the cheapest parameters, for tests only: the same algorithm and format as
production, without the cost that makes guessing slow (which made every test that creates a
team spend most of its time hashing)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64
    parallelism = 1
