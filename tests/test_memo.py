"""The memo every serve session keeps its work in (garden/memo.py): a value is made again only
when its key or its memo's signature changes, and what a build stops asking for is dropped."""

from __future__ import annotations

import functools
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from garden.memo import Memo, NoMemo


class Counting:
    """Makes values and counts how often it was asked to."""

    def __init__(self) -> None:
        self.made = 0

    def __call__(self, value: str) -> Callable[[], str]:
        def make() -> str:
            self.made += 1
            return value
        return make


def test_a_value_is_made_again_only_when_its_key_changes():
    memo, make = Memo(), Counting()
    assert memo.get("page", ("a", 1), make("first")) == "first"
    assert memo.get("page", ("a", 1), make("again")) == "first"  # an equal key: kept
    assert memo.get("page", ("a", 2), make("second")) == "second"
    assert memo.get("other", ("a", 2), make("other")) == "other"  # names are apart
    assert make.made == 3


def test_a_key_of_the_same_objects_compares_at_once():
    class Costly:
        def __eq__(self, other: object) -> bool:
            raise AssertionError("compared by value")

        __hash__ = object.__hash__

    memo, inputs = Memo(), Costly()
    memo.get("page", (inputs, "x"), lambda: 1)
    assert memo.get("page", (inputs, "x"), lambda: 2) == 1


def test_a_new_signature_forgets_everything_and_the_same_one_nothing():
    memo, make = Memo(), Counting()
    assert not memo.sign(("config", "templates"))  # the first is new
    memo.get("page", 1, make("a"))
    memo.scope("previews").get("note", 1, make("b"))
    assert memo.sign(("config", "templates"))  # an equal signature keeps all
    assert memo.get("page", 1, make("x")) == "a" and make.made == 2
    assert not memo.sign(("config", "other templates"))
    assert len(memo) == 0
    assert memo.get("page", 1, make("c")) == "c"
    assert memo.scope("previews").get("note", 1, make("d")) == "d" and make.made == 4


def test_a_scope_is_the_same_memo_until_its_memo_forgets_it():
    memo = Memo()
    reads = memo.scope("reads")
    assert memo.scope("reads") is reads and memo.scope("other") is not reads
    reads.sign("vocabulary")
    reads.keep("a.md", "read")
    assert not reads.sign("another vocabulary") and reads.last("a.md", str) is None
    memo.sign("a signature")
    assert memo.scope("reads") is not reads


def test_last_gives_what_was_kept_whatever_its_key_and_only_of_its_kind():
    memo = Memo()
    assert memo.last("garden", str) is None
    memo.keep("garden", "the garden", key=("made", "from"))
    assert memo.last("garden", str) == "the garden"
    assert memo.last("garden", bytes) is None
    assert memo.get("garden", ("made", "from"), lambda: "new") == "the garden"


def test_a_sweep_forgets_what_was_not_asked_for_since_the_last():
    memo = Memo()
    for name in ("a", "b", "c"):
        memo.keep(name, name)
    memo.sweep()
    memo.get("a", None, lambda: "made")
    assert memo.last("c", str) == "c"
    memo.sweep()  # "b" was not asked for: a deleted note's preview
    assert memo.last("b", str) is None
    assert memo.last("a", str) == "a" and memo.last("c", str) == "c"
    memo.forget(["a", "missing"])
    assert memo.last("a", str) is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 3), st.integers(0, 2), st.booleans()),
                max_size=40))
def test_a_value_got_is_always_the_one_its_key_and_signature_make(steps):
    """Whatever the sequence of gets, signatures and sweeps, `get` gives what `make` would."""
    memo = Memo()
    signature = 0
    for name, key, sign, sweep in steps:
        if sign:
            signature = sign
            memo.sign(signature)
        made = (name, key, signature)
        assert memo.get(name, key, functools.partial(tuple, made)) == made
        if sweep:
            memo.sweep()


def test_a_clean_builds_memo_keeps_nothing():
    memo, make = NoMemo(), Counting()
    memo.get("page", 1, make("a"))
    memo.scope("previews").keep("note", "kept?")
    assert memo.get("page", 1, make("b")) == "b" and make.made == 2
    assert memo.scope("previews").last("note", str) is None and len(memo) == 0
