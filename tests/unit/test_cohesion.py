"""storyline.text.cohesion: which sentences open pointing back to the one before."""

from __future__ import annotations

import pytest

from storyline.text.cohesion import opens_dangling


@pytest.mark.parametrize(
    "text",
    [
        "However, the city said the ferry would keep running.",
        "As such, the first meeting was firm but diplomatic.",
        "But the mayor would not say when the bridge reopens.",
        "In addition, the council released emergency money.",
        "Meanwhile the union called a rally.",
        "He said the cable had never been replaced.",
        "She's the third mayor to close it.",
        "They held a banner in front of the tower.",
        "Its deck dropped by four inches.",
        "This is the first closure since 1931.",
        "That would cost the port two million dollars a day.",
        "Previously, it was claimed that a hacking group was behind the attack.",
    ],
)
def test_sentences_that_point_back_are_dangling(text: str) -> None:
    assert opens_dangling(text)


@pytest.mark.parametrize(
    "text",
    [
        "The mayor closed the bridge on Monday.",
        "This week the council meets twice.",
        "In addition to the closure, buses will detour.",
        "So-called experts disagreed.",
        "Then-president Obama spoke first.",
        "“He is lying,” the minister said.",
        "Italy is not part of the deal.",
        "Hearing this, the crowd left.",
        "",
        "2026 was a hard year.",
    ],
)
def test_sentences_that_stand_alone_are_not(text: str) -> None:
    assert not opens_dangling(text)


@pytest.mark.parametrize(
    ("text", "dangling"),
    [
        # a connective, pronoun or demonstrative, then a long run of plain words: only the
        # first words are read, and the answer is the one the whole run gives
        ("In addition the council and the mayor and the port agreed", True),
        ("In addition to the council and the mayor and the port authority", False),
        ("He and the mayor and the port and the council went home", True),
        ("This is what the mayor and the port and the council said", True),
        ("This week the mayor and the port and the council met", False),
        ("   However the mayor and the port and the council disagreed", True),
    ],
)
def test_a_long_opening_run_is_read_as_far_as_the_rules_look(text: str, dangling: bool) -> None:
    assert opens_dangling(text) is dangling
