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
from datetime import datetime
from datetime import timedelta

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
    # Personal data a citizen should not post publicly: moderation hides it to protect them.
    ("personal_data", "Ruft mich bitte zurück unter 0151 23456789, ab 17 Uhr bin ich da."),
    (
        "personal_data",
        "Die Erstattung bitte auf meine IBAN DE89 3704 0044 0532 0130 00 überweisen.",
    ),
    (
        "personal_data",
        "Schreiben Sie mir an anna.k@example.org, ich wohne Lindenstraße 12, 12345 Musterstadt.",
    ),
    # Formal requests: they have legal deadlines, whatever channel they arrive through.
    (
        "formal_request",
        "Hiermit lege ich Widerspruch gegen den Bescheid vom 3. März (Az. 32-1234/26) ein.",
    ),
    ("formal_request", "Ich stelle hiermit einen Antrag auf Verlängerung meiner Sondernutzung."),
    (
        "formal_request",
        "Ich verlange Auskunft nach Art. 15 DSGVO über alle zu meiner Person gespeicherten Daten.",
    ),
    (
        "formal_request",
        "IFG-Anfrage: Bitte senden Sie mir die Unterlagen zur Vergabe des Winterdienstes.",
    ),
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


# Sandbox accounts of practice spaces (handles "uebung-<user>-<platform>") have the practice
# audience: each post is answered at once by one citizen of each kind a trainee must handle.
PRACTICE_HANDLE_PREFIX = "uebung-"
PRACTICE_COMMENTS: tuple[tuple[str, str], ...] = (
    ("question", "Gilt das auch am Wochenende? Und wo finde ich die Formulare dazu?"),
    ("complaint", "Und warum erfährt man das erst heute? Das hätte man früher sagen können."),
    ("hostile", "Ihr seid doch alle unfähig, ihr Sesselpupser!"),
    ("personal_data", "Ruft mich bitte zurück unter 0151 23456789, ab 17 Uhr bin ich da."),
    # A data-subject request: what the community manager's checklist item records.
    (
        "formal_request",
        "Ich verlange Auskunft nach Art. 15 DSGVO über alle zu meiner Person gespeicherten Daten.",
    ),
)


def is_practice_handle(handle: str) -> bool:
    return handle.startswith(PRACTICE_HANDLE_PREFIX)


def practice_comment_schedule() -> list[ScheduledComment]:
    """The practice audience: all five comments due the moment the post exists."""
    return [
        ScheduledComment(
            index=index,
            offset=timedelta(0),
            kind=kind,
            text=text,
            author_name=AUTHORS[index],
            author_id=author_id_for(index),
            parent_index=None,
        )
        for index, (kind, text) in enumerate(PRACTICE_COMMENTS)
    ]


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


def comment_schedule(post_remote_id: str, *, practice: bool = False) -> list[ScheduledComment]:
    """All comments a post will ever get, with their offsets from the post's creation."""
    if practice:
        return practice_comment_schedule()
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


# --- A lively audience (``SandboxAccount.lively``): edits, deletions, mentions, messages ----

EDIT_SUFFIXES: tuple[str, ...] = (
    " (Nachtrag: hat sich erledigt, danke.)",
    " EDIT: Tippfehler korrigiert.",
    " - nochmal: Bitte um Rückmeldung!",
)


@dataclass(frozen=True)
class CommentChurn:
    """What a citizen later does with comment ``index``: edit it (``edit_offset`` after
    the post's creation, appending ``edit_suffix``) and/or delete it."""

    index: int
    edit_offset: timedelta | None
    edit_suffix: str
    delete_offset: timedelta | None


def comment_churn(post_remote_id: str) -> dict[int, CommentChurn]:
    """About one comment in eight is edited, one in sixteen deleted, within two hours of
    being written. A separate seed: the comments themselves stay as ``comment_schedule``."""
    dice = _Dice(f"churn:{post_remote_id}")
    churn: dict[int, CommentChurn] = {}
    for comment in comment_schedule(post_remote_id):
        edit, delete = dice.unit() < 0.125, dice.unit() < 0.0625
        edit_after, delete_after = dice.between(3, 60), dice.between(61, 120)
        suffix = EDIT_SUFFIXES[dice.index(len(EDIT_SUFFIXES))]
        if edit or delete:
            churn[comment.index] = CommentChurn(
                index=comment.index,
                edit_offset=comment.offset + timedelta(minutes=edit_after) if edit else None,
                edit_suffix=suffix,
                delete_offset=comment.offset + timedelta(minutes=delete_after) if delete else None,
            )
    return churn


def churn_horizon(post_remote_id: str) -> timedelta:
    """When the last comment or change of the post is due."""
    offsets = [c.offset for c in comment_schedule(post_remote_id)]
    for change in comment_churn(post_remote_id).values():
        offsets.extend(o for o in (change.edit_offset, change.delete_offset) if o is not None)
    return max(offsets)


MENTION_TEMPLATES: tuple[str, ...] = (
    "Weiß @{handle} eigentlich, dass die Ampel an der Hauptstraße seit Tagen ausgefallen ist?",
    "Danke @{handle} für die schnelle Hilfe gestern, das war vorbildlich!",
    "@{handle} Wann wird endlich der Spielplatz am Stadtpark saniert?",
    "Unglaublich, wie @{handle} wieder mit den Bürgern umgeht. Ihr seid eine Schande!",
    "@{handle} bitte meldet euch: 0170 9876543, es geht um den Wasserschaden im Keller.",
    "Hat @{handle} schon etwas zur Sperrung der Brücke veröffentlicht?",
    "@{handle} <b>Achtung</b>: Der Link auf eurer Website führt ins Leere.",
)

MESSAGE_TEMPLATES: tuple[str, ...] = (
    "Guten Tag, ich habe eine Frage zu meinem Gebührenbescheid. Wen kann ich anrufen?",
    "Hiermit lege ich Widerspruch gegen den Bescheid vom 12. Mai ein. Bitte bestätigen Sie.",
    "Ich beantrage Auskunft nach Art. 15 DSGVO über meine bei Ihnen gespeicherten Daten.",
    "IFG-Anfrage: Ich bitte um Einsicht in das Gutachten zum Radwegeausbau.",
    "Meine Adresse: Birkenweg 7, 12345 Musterstadt, Tel. 030 1234567. Bitte Rückruf.",
    "Hallo, können Sie mir sagen, ob das Bürgeramt am Samstag geöffnet hat?",
    "Ihr werdet schon sehen, was passiert, wenn ihr nicht endlich handelt.",
)

# A mention every four hours, a message every six (on average), for the last three days.
INBOX_INTERVALS = {"mention": timedelta(hours=4), "message": timedelta(hours=6)}
INBOX_WINDOW = timedelta(hours=72)


@dataclass(frozen=True)
class ScheduledMessage:
    remote_id: str
    kind: str
    at: datetime
    text: str
    author_name: str
    author_id: str


def inbox_schedule(
    handle: str, account_created_at: datetime, now: datetime
) -> list[ScheduledMessage]:
    """Mentions and messages due by ``now``: slot ``n`` of a kind falls in
    ``[created + n·interval, created + (n+1)·interval)``, jittered deterministically; only
    the last ``INBOX_WINDOW`` is generated (an old demo account does not get thousands)."""
    due: list[ScheduledMessage] = []
    for kind, interval in INBOX_INTERVALS.items():
        templates = MENTION_TEMPLATES if kind == "mention" else MESSAGE_TEMPLATES
        first = max(0, int((now - INBOX_WINDOW - account_created_at) / interval))
        last = int((now - account_created_at) / interval)
        for slot in range(first, last + 1):
            dice = _Dice(f"{kind}:{handle}:{slot}")
            at = account_created_at + interval * (slot + dice.unit())
            if at > now:
                continue
            author = dice.index(len(AUTHORS))
            due.append(
                ScheduledMessage(
                    remote_id=f"{handle}-{kind}-{slot:05d}",
                    kind=kind,
                    at=at,
                    text=templates[dice.index(len(templates))].format(handle=handle),
                    author_name=AUTHORS[author],
                    author_id=author_id_for(author),
                )
            )
    return due
