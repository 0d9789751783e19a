"""Work kept from one build to the next under `make serve`: one memo, each value kept with the
key it was made from.

Every "keep it while it is unchanged" of the serve session goes through a `Memo`: a value is
kept under a name with its key (the inputs it was made from), and made again when it is asked
for with another key. What many values depend on is folded in once rather than into each key:
a memo is signed (`sign`) with it and forgets everything when it changes. The session's site
memo is signed with the build's signature (configuration, templates, navigation: every page
depends on them), so no key carries it; a scope is a memo inside a memo (the reads of the
notes, signed with the tag vocabulary they were checked against). What a build no longer asks
for (a deleted note's preview) goes at the next `sweep`, so a session's memory stays the size
of the site. A clean build runs the same code with a `NoMemo`, which keeps nothing (every value
is made when asked for, and held no longer than its caller holds it).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar, cast

T = TypeVar("T")

_UNSIGNED = object()
"""The signature of a memo never signed: equal to none that `sign` is given."""


class Memo:
    """Values by name, each with the key it was made from."""

    def __init__(self) -> None:
        self._signature: object = _UNSIGNED
        self._kept: dict[Hashable, tuple[object, object]] = {}
        self._asked: set[Hashable] = set()

    def sign(self, signature: object) -> bool:
        """Fold in what every value kept here depends on besides its own key: a signature other
        than the last one forgets them all. Whether it was the same (the same object is, at once)."""
        same = self._signature is signature or self._signature == signature
        if not same:
            self.clear()
            self._signature = signature
        return same

    def get(self, name: Hashable, key: object, make: Callable[[], T]) -> T:
        """The value kept under `name` if it was made from a key equal to `key`; otherwise
        `make()`, kept with `key`. Keys compare by identity first (tuples do so item by item):
        a key made of the very objects of the last build compares at once."""
        self._asked.add(name)
        kept = self._kept.get(name)
        if kept is not None and (kept[0] is key or kept[0] == key):
            return cast(T, kept[1])
        value = make()
        self._kept[name] = (key, value)
        return value

    def last(self, name: Hashable, kind: type[T]) -> T | None:
        """The value last kept under `name`, whatever it was made from, if it is a `kind`: for
        work whose reuse is decided by its own comparison (a file read: its stamp, then its hash)."""
        self._asked.add(name)
        kept = self._kept.get(name)
        return kept[1] if kept is not None and isinstance(kept[1], kind) else None

    def keep(self, name: Hashable, value: object, key: object = None) -> None:
        """Keep `value` under `name` (made from `key`, if `get` is to compare it)."""
        self._asked.add(name)
        self._kept[name] = (key, value)

    def scope(self, name: Hashable) -> Memo:
        """The memo kept under `name` in this one, for values that also depend on what it is
        signed with; emptied with this memo."""
        return self.get(name, _SCOPE, Memo)

    def sweep(self) -> None:
        """Forget every value not asked for since the last sweep: a build asks for all it shows."""
        if not self._kept.keys() <= self._asked:  # most saves delete nothing: nothing to copy
            self._kept = {name: kept for name, kept in self._kept.items() if name in self._asked}
        self._asked = set()

    def forget(self, names: Iterable[Hashable]) -> None:
        for name in names:
            self._kept.pop(name, None)

    def clear(self) -> None:
        self._kept, self._asked = {}, set()

    def __len__(self) -> int:
        return len(self._kept)


_SCOPE = object()
"""The key every scope is kept with: a scope is made once, and emptied by its own signature."""


class NoMemo(Memo):
    """A memo that keeps nothing: a clean build's, so that it runs the steps `make serve` runs
    without holding any value past its use (its peak memory is the build's own)."""

    def get(self, name: Hashable, key: object, make: Callable[[], T]) -> T:
        return make()

    def last(self, name: Hashable, kind: type[T]) -> T | None:
        return None

    def keep(self, name: Hashable, value: object, key: object = None) -> None:
        """Kept nowhere."""

    def scope(self, name: Hashable) -> Memo:
        return self
