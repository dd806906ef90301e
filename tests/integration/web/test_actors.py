"""Who recorded a fact, by name: every API token and every user, in one query."""

from __future__ import annotations

from adapters.api_tokens import TokenStore
from adapters.users import UserStore
from followup.bootstrap import Container
from followup.web.actors import actor_names, actor_names_on
from tests.factories import NOW


def test_every_token_and_every_user_is_named_by_the_actor_it_records(
    container: Container,
) -> None:
    tokens = TokenStore(container.engine)
    reporter, _ = tokens.create("Reporting script", "secretariat", [], NOW)
    other, _ = tokens.create("Reviewer's laptop", "reviewer", [], NOW)
    users = UserStore(container.engine)
    users.create("alice", "Alice (Support Unit)", "secretariat", "alice-secretariat-pw", NOW)
    users.create("bob", "Bob (Troika)", "reviewer", "bob-the-reviewer-pw", NOW)
    expected = {
        f"token:{reporter.id}": "Reporting script",
        f"token:{other.id}": "Reviewer's laptop",
        "user:alice": "Alice (Support Unit)",
        "user:bob": "Bob (Troika)",
    }
    assert actor_names(container) == expected
    with container.engine.connect() as connection:
        assert actor_names_on(connection) == expected


def test_no_token_and_no_user_names_nobody(container: Container) -> None:
    assert actor_names(container) == {}
