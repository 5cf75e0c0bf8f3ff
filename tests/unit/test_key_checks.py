"""How long a key found unrevoked is trusted before the log is read again."""

from uuid import uuid4

from domain.key_checks import RecentKeyChecks


def test_a_key_found_unrevoked_is_trusted_for_the_configured_time() -> None:
    checks, key = RecentKeyChecks(seconds=60), uuid4()
    assert not checks.fresh(key)
    checks.note(key, checks.generation)
    assert checks.fresh(key)
    assert not checks.fresh(uuid4())


def test_without_seconds_every_request_reads_the_log() -> None:
    checks, key = RecentKeyChecks(), uuid4()
    checks.note(key, checks.generation)
    assert not checks.fresh(key)


def test_a_revocation_in_this_process_takes_effect_at_once() -> None:
    checks, key, other = RecentKeyChecks(seconds=60), uuid4(), uuid4()
    checks.note(key, checks.generation)
    checks.note(other, checks.generation)
    checks.forget(key)
    assert not checks.fresh(key)
    assert checks.fresh(other)


def test_a_read_begun_before_a_revocation_is_not_trusted() -> None:
    checks, key = RecentKeyChecks(seconds=60), uuid4()
    begun = checks.generation
    checks.forget(key)
    checks.note(key, begun)
    assert not checks.fresh(key)
