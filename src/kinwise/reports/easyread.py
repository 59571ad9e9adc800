"""The easy-read page "Who decides what about my life", written to the person.

Short sentences, one area to a box, a picture for each area (simple pictograms drawn
here as inline SVG, each with a text alternative). Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from kinwise.casefile import schema as cf
from kinwise.casefile.vocab import AREAS, DEFAULT_REQUIRED_AREAS
from kinwise.readings.names import Names

# Words the person would use for each area.
EASY_AREAS: dict[str, str] = {
    "medication": "My medicine",
    "health_treatment": "My health",
    "personal_care": "Washing and dressing",
    "mobility_outdoors": "Going out",
    "daily_living": "My days",
    "relationships": "My friends and family",
    "accommodation": "Where I live",
    "information_sharing": "Who knows about me",
    "finances_daily": "My money each day",
    "finances_major": "Big money choices",
}

_STROKE = (
    'fill="none" stroke="#005eb8" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"'
)
_FILL = 'fill="#005eb8"'

# 64 x 64 pictograms: plain shapes, one colour, readable when printed in black and white.
PICTOGRAMS: dict[str, tuple[str, str]] = {
    "medication": (
        "A tablet and a medicine bottle",
        f'<rect x="8" y="24" width="20" height="32" rx="4" {_STROKE}/>'
        f'<rect x="6" y="16" width="24" height="8" rx="2" {_FILL}/>'
        f'<rect x="36" y="30" width="22" height="12" rx="6" {_STROKE}/>'
        f'<line x1="47" y1="30" x2="47" y2="42" {_STROKE}/>',
    ),
    "health_treatment": (
        "A heart with a cross for health",
        f'<path d="M32 56 L10 34 A11 11 0 0 1 32 18 A11 11 0 0 1 54 34 Z" {_STROKE}/>'
        f'<line x1="32" y1="28" x2="32" y2="44" {_STROKE}/>'
        f'<line x1="24" y1="36" x2="40" y2="36" {_STROKE}/>',
    ),
    "personal_care": (
        "A shower with water drops",
        f'<path d="M12 10 H36 V18" {_STROKE}/>'
        f'<path d="M24 18 H48 L44 26 H28 Z" {_STROKE}/>'
        f'<line x1="30" y1="34" x2="28" y2="42" {_STROKE}/>'
        f'<line x1="36" y1="34" x2="36" y2="46" {_STROKE}/>'
        f'<line x1="42" y1="34" x2="44" y2="42" {_STROKE}/>',
    ),
    "mobility_outdoors": (
        "A wheelchair going along a path",
        f'<circle cx="26" cy="42" r="12" {_STROKE}/>'
        f'<circle cx="28" cy="12" r="5" {_FILL}/>'
        f'<path d="M28 20 V34 H44 L50 46" {_STROKE}/>'
        f'<line x1="4" y1="60" x2="60" y2="60" {_STROKE}/>',
    ),
    "daily_living": (
        "A sun and a calendar for my days",
        f'<rect x="8" y="20" width="34" height="34" rx="3" {_STROKE}/>'
        f'<line x1="8" y1="30" x2="42" y2="30" {_STROKE}/>'
        f'<circle cx="50" cy="14" r="7" {_FILL}/>',
    ),
    "relationships": (
        "Two people holding hands",
        f'<circle cx="20" cy="14" r="6" {_FILL}/><circle cx="44" cy="14" r="6" {_FILL}/>'
        f'<path d="M20 22 V44 M44 22 V44 M20 30 H44 M20 44 L14 58 M20 44 L26 58 '
        f'M44 44 L38 58 M44 44 L50 58" {_STROKE}/>',
    ),
    "accommodation": (
        "A house",
        f'<path d="M8 30 L32 8 L56 30" {_STROKE}/>'
        f'<path d="M14 26 V56 H50 V26" {_STROKE}/>'
        f'<rect x="27" y="38" width="10" height="18" {_FILL}/>',
    ),
    "information_sharing": (
        "A speech bubble with an i for information",
        f'<path d="M8 12 H56 V42 H26 L14 54 V42 H8 Z" {_STROKE}/>'
        f'<circle cx="32" cy="20" r="2.5" {_FILL}/>'
        f'<line x1="32" y1="27" x2="32" y2="36" {_STROKE}/>',
    ),
    "finances_daily": (
        "Coins for everyday money",
        f'<ellipse cx="24" cy="44" rx="16" ry="7" {_STROKE}/>'
        f'<ellipse cx="24" cy="34" rx="16" ry="7" {_STROKE}/>'
        f'<circle cx="46" cy="20" r="11" {_STROKE}/>'
        f'<text x="46" y="25" font-size="14" text-anchor="middle" {_FILL}>£</text>',
    ),
    "finances_major": (
        "A bank building for big money choices",
        f'<path d="M6 24 L32 8 L58 24 Z" {_STROKE}/>'
        f'<path d="M14 28 V50 M26 28 V50 M38 28 V50 M50 28 V50" {_STROKE}/>'
        f'<line x1="6" y1="56" x2="58" y2="56" {_STROKE}/>',
    ),
}


def pictogram(area: str) -> str:
    """The area's picture as inline SVG, with its text alternative."""
    alt, body = PICTOGRAMS[area]
    return (
        f'<svg class="kw-pictogram" viewBox="0 0 64 64" width="96" height="96" role="img" '
        f'aria-label="{alt}" xmlns="http://www.w3.org/2000/svg"><title>{alt}</title>{body}</svg>'
    )


@dataclass(frozen=True)
class EasyArea:
    area: str
    heading: str
    picture: str
    picture_alt: str
    sentences: list[str]


def _names_sentence(names: list[str], verb_one: str, verb_many: str) -> str:
    if len(names) == 1:
        return f"{names[0]} {verb_one}."
    joined = ", ".join(names[:-1]) + " and " + names[-1]
    return f"{joined} {verb_many}."


def easy_read(casefile: cf.CaseFile) -> list[EasyArea]:
    """One box per area of the plan (the areas with a role, and the required areas)."""
    names = Names(casefile)
    person = casefile.person.id
    roles: dict[str, cf.Role] = {r.area: r for r in casefile.plan.roles}
    required = (
        casefile.plan.required_areas
        if casefile.plan.required_areas is not None
        else list(DEFAULT_REQUIRED_AREAS)
    )
    areas = [a for a in AREAS if a in roles or a in required]
    boxes: list[EasyArea] = []
    for area in areas:
        role = roles.get(area)
        sentences: list[str] = []
        if role is None or role.decides is None:
            sentences.append("Nobody is written down to decide yet.")
            sentences.append("Your team will sort this out with you.")
        elif role.decides == person:
            sentences.append("I decide.")
        else:
            sentences.append(f"{names(role.decides)} decides.")
        if role is not None:
            helpers = [names(m) for m in role.supported_by if m != person]
            if helpers:
                sentences.append(_names_sentence(helpers, "helps me decide", "help me decide"))
            ideas = [names(m) for m in role.contributes if m != person]
            if ideas:
                sentences.append(_names_sentence(ideas, "can give ideas", "can give ideas"))
            told = [names(m) for m in role.informed if m != person]
            if told:
                sentences.append(_names_sentence(told, "is told about it", "are told about it"))
        alt, _ = PICTOGRAMS[area]
        boxes.append(
            EasyArea(
                area=area,
                heading=EASY_AREAS[area],
                picture=pictogram(area),
                picture_alt=alt,
                sentences=sentences,
            )
        )
    # "I decide" first: the person's own decisions lead.
    boxes.sort(key=lambda b: b.sentences[0] != "I decide.")
    return boxes
