"""Members named the way an organiser names them: by id or by name, with "did you mean"
suggestions (rapidfuzz) and a clear refusal when a name is ambiguous.

Names are compared without regard to case, accents, extra spaces or word order, so
``lambert ursula`` and ``Ursula  Lambert`` both find Ursula Lambert.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from seating.club.records import ClubMember
from seating.club.values import TypedValueError

SUGGEST_SCORE = 70
"""The least rapidfuzz similarity (0-100) for a suggestion."""


def _key(text: str) -> str:
    """A name as compared: no accents, lower case, words sorted (word order does not count)."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return " ".join(sorted(plain.replace(",", " ").split()))


@dataclass(frozen=True)
class Directory:
    """The club's members, to find one by id or name.

    Build it with :meth:`of`; :meth:`resolve` turns what the organiser typed into an id.
    """

    members: tuple[ClubMember, ...]

    @classmethod
    def of(cls, members: Iterable[ClubMember]) -> Directory:
        return cls(tuple(members))

    def name(self, member_id: str) -> str:
        """The member's display name (the id when the club does not know it)."""
        for m in self.members:
            if m.id == member_id:
                return m.display_name
        return member_id

    def label(self, member_id: str) -> str:
        """``M005 (Els Maes)``, or the id alone for a member without a name."""
        name = self.name(member_id)
        return member_id if name == member_id else f"{member_id} ({name})"

    def names(self) -> dict[str, str]:
        """Member id -> display name, for every member."""
        return {m.id: m.display_name for m in self.members}

    def with_names(self, text: str) -> str:
        """``text`` (a rule warning, an explanation) with each member id followed by the
        member's name: ``'M005' and 'M006' may not sit together`` -> ``M005 (Els Maes) and
        ...``. All-digit ids are left alone (they cannot be told from counts)."""
        labels = {m.id: self.label(m.id) for m in self.members if m.name and not m.id.isdigit()}
        if not labels:
            return text
        ids = "|".join(re.escape(i) for i in sorted(labels, key=len, reverse=True))
        pattern = re.compile(rf"'?(?<![\w-])({ids})(?![\w-])'?")
        return pattern.sub(lambda match: labels[match.group(1)], text)

    def resolve(self, text: str) -> str:
        """The id of the member ``text`` names (an id, or a name).

        Raises
        ------
        TypedValueError
            No member is named so (with the closest ids and names as suggestions), or the
            name belongs to several members (naming their ids).
        """
        typed = text.strip()
        ids = [m.id for m in self.members]
        if typed in ids:
            return typed
        folded = [i for i in ids if i.casefold() == typed.casefold()]
        if len(folded) == 1:
            return folded[0]
        key = _key(typed)
        named = [m.id for m in self.members if m.name and _key(m.name) == key]
        if len(named) == 1:
            return named[0]
        if named:
            raise TypedValueError(
                f"{typed!r} names {len(named)} members ({', '.join(named)}): give the id"
            )
        raise TypedValueError(f"unknown member {typed!r}{self.suggestion(typed)}")

    def suggestion(self, typed: str) -> str:
        """`` (did you mean M005 (Els Maes)?)`` for the closest ids or names, or nothing.

        Ids are compared by edits (``M0O5`` is one edit from ``M005``, two from ``M050``),
        names by rapidfuzz's weighted ratio (a missing letter, a word left out).
        """
        scores: dict[str, float] = {}
        ids = {m.id: m.id.casefold() for m in self.members}
        names = {m.id: m.name for m in self.members if m.name}
        for choices, scorer in ((ids, Levenshtein.normalized_similarity), (names, fuzz.WRatio)):
            scale = 100 if scorer is Levenshtein.normalized_similarity else 1
            for _, score, member in process.extract(
                typed.casefold() if choices is ids else typed,
                choices,
                scorer=scorer,
                limit=5,
            ):
                if score * scale >= SUGGEST_SCORE:
                    scores[member] = max(scores.get(member, 0), score * scale)
        if not scores:
            return ""
        best = max(scores.values())
        close = [m for m, s in sorted(scores.items(), key=lambda kv: -kv[1]) if s >= best - 5]
        return f" (did you mean {' or '.join(self.label(m) for m in close[:3])}?)"
