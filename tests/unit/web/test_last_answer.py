from __future__ import annotations

from followup.web.last_answer import KeptAnswers


def test_an_answer_is_kept_per_detail_while_its_state_holds() -> None:
    kept: KeptAnswers[str] = KeptAnswers()
    computed: list[str] = []

    def compute(text: str) -> str:
        computed.append(text)
        return text

    assert kept.get(1, "en", lambda: compute("english")) == "english"
    assert kept.get(1, "fr", lambda: compute("french")) == "french"
    assert kept.get(1, "en", lambda: compute("english again")) == "english"
    assert kept.get(1, "fr", lambda: compute("french again")) == "french"
    assert computed == ["english", "french"]


def test_a_moved_state_drops_every_kept_answer() -> None:
    kept: KeptAnswers[str] = KeptAnswers()
    kept.get(1, "en", lambda: "old english")
    kept.get(1, "fr", lambda: "old french")
    assert kept.get(2, "en", lambda: "new english") == "new english"
    assert kept.get(2, "fr", lambda: "new french") == "new french"
    assert kept.get(1, "en", lambda: "english of the first state") == "english of the first state"


def test_no_more_answers_are_kept_than_its_size_the_least_recently_asked_going_first() -> None:
    kept: KeptAnswers[str] = KeptAnswers(size=2)
    kept.get(1, "a", lambda: "a")
    kept.get(1, "b", lambda: "b")
    kept.get(1, "a", lambda: "a again")  # asked: now the most recent
    kept.get(1, "c", lambda: "c")  # "b" goes
    assert kept.get(1, "a", lambda: "a recomputed") == "a"
    assert kept.get(1, "b", lambda: "b recomputed") == "b recomputed"
