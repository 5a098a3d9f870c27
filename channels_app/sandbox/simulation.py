"""Deterministic simulation of the sandbox audience: comments and metrics.

Everything here is a pure function of a post's (or account's) id and age, so that the same
post shows the same comments and the same numbers to every worker, in every test run, and
numbers never go down: metrics are floors of non-decreasing functions of the age, and a
comment exists from its scheduled time on. No database access happens here; the services
turn the schedule into ``SandboxComment`` rows.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

# Comments are spread over the first three days of a post; then the post is "complete".
COMMENT_HORIZON = timedelta(hours=72)

# Citizens of Musterstadt. Ids are stable, so that moderation can block a repeat offender.
AUTHORS: tuple[str, ...] = (
    "Anna Krüger",
    "Mehmet Yılmaz",  # noqa: RUF001  (Turkish dotless i, on purpose)
    "Sabine Hoffmann",
    "Jürgen Weber",
    "Lena Schulz",
    "Tobias Becker",
    "Fatma Demir",
    "Klaus-Dieter Wagner",
    "Marie Schneider",
    "Oleksandr Kovalenko",
    "Petra Zimmermann",
    "Jonas Fischer",
    "Ayşe Kaya",
    "Heinz Richter",
    "Sophie Neumann",
    "Nguyễn Văn An",
)

# (kind, text). German, as an authority's audience writes. The "rude" and "hostile" ones
# exist for moderation demos; they insult but never target a protected group.
TEMPLATES: tuple[tuple[str, str], ...] = (
    ("question", "Gilt das auch am Wochenende?"),
    ("question", "Muss ich dafür vorher einen Termin online buchen?"),
    ("question", "Wo finde ich die Formulare dazu? Auf der Website habe ich nichts gefunden."),
    ("question", "Ist das Gebäude barrierefrei erreichbar?"),
    ("question", "Gibt es die Informationen auch in Leichter Sprache?"),
    ("question", "Und was ist mit den Ortsteilen? Betrifft uns das auch?"),
    ("thanks", "Danke für die schnelle Info! 👍"),
    ("thanks", "Super, dass ihr das hier postet. So erfährt man es wenigstens rechtzeitig."),
    ("thanks", "Vielen Dank an alle Mitarbeitenden, die das möglich machen!"),
    ("thanks", "Sehr hilfreich, danke. Habe es gleich an meine Nachbarn weitergeleitet."),
    ("complaint", "Und warum erfährt man das erst heute? Das hätte man früher sagen können."),
    (
        "complaint",
        "Seit Wochen ist die Straßenlaterne vor unserem Haus kaputt. Passiert da mal was?",
    ),
    ("complaint", "Telefonisch ist bei euch einfach niemand zu erreichen."),
    ("complaint", "Die Parkplatzsituation am Rathaus ist eine Katastrophe."),
    ("suggestion", "Wie wäre es mit längeren Öffnungszeiten am Donnerstag?"),
    (
        "suggestion",
        "Bitte auch auf Englisch und Türkisch veröffentlichen, viele verstehen das sonst nicht.",
    ),
    ("rude", "Was für ein Quatsch. Typisch Verwaltung."),
    ("rude", "Habt ihr sonst nichts zu tun?? 🙄"),
    ("hostile", "Ihr seid doch alle unfähig, ihr Sesselpupser!"),
    ("hostile", "Ihr Versager gehört alle entlassen. Wir wissen, wo das Rathaus steht."),
)

# The one sample with markup: it proves that every downstream view escapes platform text.
HOSTILE_HTML = (
    "hostile_html",
    "Schaut euch das an <script>alert(1)</script> <img src=x onerror=alert(1)> "
    "- wann wird das endlich repariert?",
)

# Follow-ups answer an earlier citizen comment (a thread), not the post.
FOLLOW_UPS: tuple[str, ...] = (
    "Sehe ich genauso.",
    "Stimmt nicht, bei mir hat es letzte Woche problemlos geklappt.",
    "Hast du schon beim Bürgertelefon angerufen?",
    "Das wüsste ich auch gern.",
)


@dataclass(frozen=True)
class ScheduledComment:
    index: int
    offset: timedelta  # after the post's creation
    kind: str
    text: str
    author_name: str
    author_id: str
    parent_index: int | None  # a reply to an earlier comment of the same post


def _stream(seed: str) -> list[int]:
    """Deterministic pseudo-random bytes for ``seed`` (not for security: no secrets)."""
    out: list[int] = []
    counter = 0
    while len(out) < 256:
        out.extend(hashlib.sha256(f"{seed}:{counter}".encode()).digest())
        counter += 1
    return out


class _Dice:
    """A tiny deterministic random source; ``random.Random`` would also do, but its output
    is not promised to stay the same across Python versions."""

    def __init__(self, seed: str) -> None:
        self._bytes = _stream(seed)
        self._position = 0

    def unit(self) -> float:
        """A number in [0, 1)."""
        chunk = self._bytes[self._position : self._position + 4]
        self._position = (self._position + 4) % (len(self._bytes) - 4)
        return int.from_bytes(bytes(chunk), "big") / 2**32

    def between(self, low: float, high: float) -> float:
        return low + (high - low) * self.unit()

    def index(self, n: int) -> int:
        return min(int(self.unit() * n), n - 1)


def author_id_for(index: int) -> str:
    return f"citizen-{index + 1:03d}"


def comment_schedule(post_remote_id: str) -> list[ScheduledComment]:
    """All comments a post will ever get, with their offsets from the post's creation."""
    dice = _Dice(f"comments:{post_remote_id}")
    count = 3 + dice.index(8)  # 3 … 10
    # About one post in eight carries the markup sample, always as its second comment.
    html_sample = dice.unit() < 0.125
    offsets: list[float] = []
    minutes = dice.between(2, 20)
    for _ in range(count):
        offsets.append(minutes)
        # Comments come quickly at first and then ever more slowly.
        minutes += dice.between(5, 45) * (1 + len(offsets) * 0.8)
    horizon_minutes = COMMENT_HORIZON.total_seconds() / 60 - 1
    schedule: list[ScheduledComment] = []
    for index, offset in enumerate(offsets):
        author = dice.index(len(AUTHORS))
        parent_index: int | None = None
        if html_sample and index == 1:
            kind, text = HOSTILE_HTML
        elif index >= 2 and dice.unit() < 0.25:
            kind, text = "follow_up", FOLLOW_UPS[dice.index(len(FOLLOW_UPS))]
            parent_index = dice.index(index)
        else:
            kind, text = TEMPLATES[dice.index(len(TEMPLATES))]
        schedule.append(
            ScheduledComment(
                index=index,
                offset=timedelta(minutes=min(offset, horizon_minutes)),
                kind=kind,
                text=text,
                author_name=AUTHORS[author],
                author_id=author_id_for(author),
                parent_index=parent_index,
            )
        )
    return schedule


def comment_remote_id(post_remote_id: str, index: int) -> str:
    """Stable ids: the same scheduled comment always gets the same id, which makes lazy
    generation idempotent (a unique constraint absorbs concurrent inserts)."""
    return f"{post_remote_id}-c{index:02d}"


def due_comments(
    post_remote_id: str, created_at: datetime, now: datetime
) -> list[ScheduledComment]:
    return [c for c in comment_schedule(post_remote_id) if created_at + c.offset <= now]


def _age_hours(created_at: datetime, now: datetime) -> float:
    return max((now - created_at).total_seconds() / 3600, 0.0)


def post_metrics(post_remote_id: str, created_at: datetime, now: datetime) -> dict[str, int]:
    """Plausible numbers for a post of this age: fast growth in the first hours, then a
    slow tail. Every number is the floor of a non-decreasing function of the age."""
    dice = _Dice(f"metrics:{post_remote_id}")
    peak = dice.between(400, 6000)
    tau = dice.between(2, 12)  # hours until ~63 % of the peak
    tail_per_day = dice.between(2, 20)
    age = _age_hours(created_at, now)
    impressions_f = peak * (1 - math.exp(-age / tau)) + tail_per_day * age / 24
    impressions = int(impressions_f)
    due = len(due_comments(post_remote_id, created_at, now))
    return {
        "impressions": impressions,
        "reach": int(impressions_f * dice.between(0.55, 0.85)),
        "likes": int(impressions_f * dice.between(0.01, 0.06)),
        "comments": due,
        "shares": int(impressions_f * dice.between(0.002, 0.012)),
        "clicks": int(impressions_f * dice.between(0.005, 0.03)),
    }


def followers(handle: str, followers_base: int, created_at: datetime, now: datetime) -> int:
    """Followers grow slowly and steadily from ``followers_base`` (a few per day)."""
    dice = _Dice(f"followers:{handle}")
    per_day = dice.between(1, 12)
    days = _age_hours(created_at, now) / 24
    return followers_base + int(per_day * days + 3 * math.sqrt(days))
