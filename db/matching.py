"""Matching people and open jobs, each match with its reasons in Chinese.

A match's score is the sum of the points of its reasons, so the clerk sees exactly why
one candidate ranks above another:

========================  ==========================================================
工种与技能                 相符 +40, 相近 +20, 普工岗位 +15, 不相关 0
工作地与外出意愿           本地 +25, 县内 +20; 县外: 有外出意愿 +25 (意向地点相符 +5),
                           未登记外出意愿 −10
年龄与大龄                 符合年龄要求 +10; 大龄且岗位适合大龄 +10, 未注明 −5
期望月薪                   达到 +15, 略低 (≥90%) +5, 低于 −10
就业状态                   失业/未就业有意愿 +15, 未登记/灵活就业 +5, 无就业意愿 −20,
                           已就业 −20; 零工岗位配灵活就业 +5
帮扶对象                   脱贫人口等 +5; 就业帮扶车间/乡村就业工厂再 +5
用人单位欠薪记录           −20
曾推荐到此岗位未成         −15
========================  ==========================================================

Dropped altogether: jobs that are closed, expired or filled; people outside the job's
age window; people already placed (in work other than 灵活就业, or 已录用 through a
referral since their last status change); people with an open referral to the job.
"""

import functools
import heapq
import re
from dataclasses import dataclass, field
from datetime import date

from . import glossary, jobs, settings
from .clock import today
from .errors import ValidationError
from .lists import _birth_bound
from .people import get_person
from .station import Station
from .validation.masking import mask_id_number, mask_phone

PLACED_STATUSES = ("local", "in_province", "out_province", "self_employed")
GENERAL_WORK = ("普工", "杂工", "零工", "临时工", "不限")
_SPLIT = re.compile(r"[、,，/／;；|\s]+")


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason a match ranks where it does: points and a Chinese sentence."""

    points: int
    text: str

    def __str__(self) -> str:
        return f"{self.text}（{self.points:+d}）" if self.points else self.text


@dataclass(frozen=True)
class Match:
    """A ranked pairing of a person and a job."""

    score: int
    reasons: tuple[Reason, ...]
    person: dict = field(repr=False)
    job: dict = field(repr=False)

    @property
    def explanation(self) -> str:
        """All reasons in one line, e.g. "技能“电焊工”与工种相符（+40）；本地岗位（+25）"."""
        return "；".join(str(r) for r in self.reasons)


@dataclass(slots=True)
class _Seeker:
    """What matching needs to know about a person."""

    id: str
    age: int
    older: bool
    skills: str
    wants_out: bool
    destination: str
    expected_wage: int | None
    status: str | None
    groups: tuple[str, ...]


# A factor is the points and reasons of one aspect. Each is a pure function of a few
# plain values, cached: 100,000 people share few skills, ages, wages and statuses.
Factor = tuple[int, tuple[Reason, ...]]
_cached = functools.lru_cache(maxsize=65536)


def _factor(*reasons: Reason) -> Factor:
    return sum(r.points for r in reasons), reasons


def _tokens(text: str) -> list[str]:
    return [t for t in _SPLIT.split(text or "") if t]


def _bigrams(words: list[str]) -> set[str]:
    return {w[i:i + 2] for w in words for i in range(len(w) - 1)}


@_cached
def skill_factor(skills: str, work_type: str) -> Factor:
    """相符 when a skill equals or contains the 工种 (or the reverse), 相近 when they share
    two characters, 普工 takes anyone."""
    words, tokens = _tokens(skills), _tokens(work_type)
    for word in words:
        for token in tokens:
            if word == token or (min(len(word), len(token)) >= 2
                                 and (word in token or token in word)):
                return _factor(Reason(40, f"技能“{word}”与工种“{work_type}”相符"))
    job_pairs = _bigrams(tokens)
    for word in words:
        if _bigrams([word]) & job_pairs:
            return _factor(Reason(20, f"技能“{word}”与工种“{work_type}”相近"))
    if any(g in work_type for g in GENERAL_WORK):
        return _factor(Reason(15, "普工岗位，不限技能"))
    return _factor(Reason(0, "未登记与此工种相关的技能"))


@_cached
def place_factor(place: str, work_place: str, wants_out: bool, destination: str) -> Factor:
    """Near home is good for everyone; farther needs the wish to go out."""
    if place == "local":
        return _factor(Reason(25, "本地岗位，离家近"))
    if place == "county":
        return _factor(Reason(20, "县内岗位，离家较近"))
    label = glossary.JOB_PLACES[place]
    if not wants_out:
        return _factor(Reason(-10, f"岗位在{label}，此人未登记外出意愿"))
    reasons = [Reason(25, "有外出务工意愿")]
    if destination and work_place and (destination in work_place or work_place in destination
                                       or destination.rstrip("市省县") in work_place):
        reasons.append(Reason(5, f"意向地点“{destination}”相符"))
    return _factor(*reasons)


@_cached
def age_factor(age: int, older: bool, low: int | None, high: int | None,
               older_friendly: bool) -> Factor | None:
    """None when the person is outside the job's age window."""
    if (low is not None and age < low) or (high is not None and age > high):
        return None
    window = jobs.age_text({"age_min": low, "age_max": high})
    reasons = [Reason(10, f"{age}岁，符合年龄要求（{window}）")]
    if older:
        reasons.append(Reason(10, "大龄劳动者，岗位适合大龄") if older_friendly
                       else Reason(-5, "大龄劳动者，岗位未注明适合大龄"))
    return _factor(*reasons)


@_cached
def wage_factor(want: int | None, wage_min: int | None, wage_max: int | None) -> Factor:
    """The job's best wage against the person's expected monthly wage."""
    top = wage_max if wage_max is not None else wage_min
    if not want:
        return _factor()
    if top is None:
        return _factor(Reason(0, f"薪资面议（期望{want}元）"))
    if top >= want:
        return _factor(Reason(15, f"月薪可达{top}元，不低于期望{want}元"))
    if top >= want * 0.9:
        return _factor(Reason(5, f"月薪最高{top}元，略低于期望{want}元"))
    return _factor(Reason(-10, f"月薪最高{top}元，低于期望{want}元"))


_STATUS_POINTS = {
    "unemployed": Reason(15, "失业，急需就业"),
    "willing": Reason(15, "未就业，有就业意愿"),
    None: Reason(5, "就业状态未登记"),
    "flexible": Reason(5, "灵活就业，可再推荐"),
    "no_intention": Reason(-20, "登记为无就业意愿"),
}


@_cached
def status_factor(status: str | None, gig: bool) -> Factor:
    """Who needs work most comes first; 零工 suits 灵活就业."""
    reason = _STATUS_POINTS.get(status) or Reason(-20, f"已{glossary.status_label(status)}")
    if gig and status == "flexible":
        return _factor(reason, Reason(5, "零工岗位，适合灵活就业"))
    return _factor(reason)


@_cached
def group_factor(groups: tuple[str, ...], workshop: bool, village_factory: bool) -> Factor:
    """Priority groups first, more so for 就业帮扶车间 and 乡村就业工厂."""
    if not groups:
        return _factor()
    reasons = [Reason(5, f"{'、'.join(groups)}，优先推荐")]
    if workshop or village_factory:
        kind = "就业帮扶车间" if workshop else "乡村就业工厂"
        reasons.append(Reason(5, f"{kind}优先吸纳帮扶对象"))
    return _factor(*reasons)


@_cached
def history_factor(wage_arrears: bool, earlier: str | None) -> Factor:
    """The employer's 欠薪记录, and an earlier unsuccessful referral to the same job."""
    reasons = []
    if wage_arrears:
        reasons.append(Reason(-20, "用人单位有欠薪记录，请谨慎推荐"))
    if earlier:
        reasons.append(Reason(-15, f"曾推荐到此岗位，结果{glossary.REFERRAL_OUTCOMES[earlier]}"))
    return _factor(*reasons)


def _factors(s: _Seeker, job: dict, earlier: str | None) -> list[Factor] | None:
    age = age_factor(s.age, s.older, job["age_min"], job["age_max"], bool(job["older_friendly"]))
    if age is None:
        return None
    return [
        skill_factor(s.skills, job["work_type"]),
        place_factor(job["place_type"], job["work_place"], s.wants_out, s.destination),
        age,
        wage_factor(s.expected_wage, job["wage_min"], job["wage_max"]),
        status_factor(s.status, bool(job["gig"])),
        group_factor(s.groups, bool(job["support_workshop"]), bool(job["village_factory"])),
        history_factor(bool(job["wage_arrears"]), earlier),
    ]


def _reasons(factors: list[Factor]) -> tuple[Reason, ...]:
    return tuple(r for _points, reasons in factors for r in reasons)


def assess(s: _Seeker, job: dict, earlier: str | None = None
           ) -> tuple[int, tuple[Reason, ...]] | None:
    """Score and reasons of one pairing, or None when it must not be proposed.

    ``earlier`` is the outcome of an unsuccessful earlier referral of this person to this
    job, if any.
    """
    factors = _factors(s, job, earlier)
    if factors is None:
        return None
    return sum(points for points, _r in factors), _reasons(factors)


# ------------------------------------------------------------------ people side

# Who may still be placed; the partial index person_seeking (m0003) has this very WHERE.
SEEKING = ("deleted_at IS NULL AND (current_status IS NULL OR current_status NOT IN "
           "('local', 'in_province', 'out_province', 'self_employed'))")
SCORE_COLUMNS = ("p.id, p.sex, p.birth_date, p.skills, p.out_work_type, p.wants_out, "
                 "p.out_destination, p.out_expected_wage, p.current_status, "
                 "p.poverty_alleviated, p.monitored, p.low_income, p.rural_disabled")
GROUP_LABELS = tuple(glossary.GROUP_FLAGS.values())  # in the order of the flag columns


@dataclass(frozen=True)
class _Today:
    """The day's facts every seeker is measured against."""

    year: int
    month_day: str  # "MM-DD"
    older_m: int
    older_f: int


def _today(station: Station, on: date) -> _Today:
    return _Today(on.year, on.isoformat()[5:], settings.get(station, "older_age.male"),
                  settings.get(station, "older_age.female"))


def _seeker(row: tuple, t: _Today) -> _Seeker:
    """A seeker from a row of SCORE_COLUMNS (called for every candidate: kept lean)."""
    person_id, sex, birth, skills, work, wants_out, destination, wage, status, *flags = row
    # validation.dates.age_on on ISO text: one less year before this year's birthday.
    age = t.year - int(birth[:4]) - (birth[5:] > t.month_day)
    groups = (tuple(label for label, flag in zip(GROUP_LABELS, flags, strict=True) if flag)
              if any(flags) else ())
    return _Seeker(person_id, age, age >= (t.older_m if sex == "M" else t.older_f),
                   f"{skills} {work}" if work else skills, bool(wants_out), destination, wage,
                   status, groups)


def _person_display(row: dict, s: _Seeker, full_numbers: bool) -> dict:
    return {
        "id": row["id"], "name": row["name"], "sex": glossary.SEX[row["sex"]], "age": s.age,
        "older": s.older, "hukou_village": row["hukou_village"], "skills": row["skills"],
        "current_status": glossary.status_label(row["current_status"]),
        "id_number": row["id_number"] if full_numbers else mask_id_number(row["id_number"]),
        "phone": row["phone"] if full_numbers else mask_phone(row["phone"]),
    }


def _candidates_sql(job: dict, on: date) -> tuple[str, dict]:
    """People who may be proposed for ``job``: live, not placed, inside the age window,
    not 已录用 since their last status change, not already referred to it and waiting."""
    where = [
        SEEKING,
        "NOT EXISTS (SELECT 1 FROM referral r WHERE r.person_id = p.id AND r.deleted_at IS NULL"
        " AND ((r.outcome = 'hired' AND (p.current_status_since IS NULL"
        "       OR r.outcome_date >= p.current_status_since))"
        "   OR (r.outcome = 'pending' AND r.job_id = :job)))",
    ]
    params: dict = {"job": job["id"]}
    if job["age_min"] is not None:
        where.append("birth_date <= :oldest_birth")
        params["oldest_birth"] = _birth_bound(job["age_min"], on)
    if job["age_max"] is not None:
        where.append("birth_date > :youngest_birth")
        params["youngest_birth"] = _birth_bound(job["age_max"] + 1, on)
    return f"SELECT {SCORE_COLUMNS} FROM person p WHERE {' AND '.join(where)}", params


def _earlier_outcomes(station: Station, column: str, value: str) -> dict[str, str]:
    """Earlier unsuccessful referrals: other side's id → outcome."""
    other = "person_id" if column == "job_id" else "job_id"
    rows = station.conn.execute(
        f"SELECT {other}, outcome FROM referral WHERE {column} = ? AND deleted_at IS NULL "
        "AND outcome IN ('rejected', 'no_show') ORDER BY referral_date", [value])
    return dict(rows.fetchall())


def people_for_job(station: Station, job_id: str, *, limit: int = 100, on: date | None = None,
                   full_numbers: bool = False) -> list[Match]:
    """The best ``limit`` people for an open job, best first."""
    on = on or today()
    job = jobs.get_job(station, job_id, on=on)
    if not job["is_open"]:
        raise ValidationError("此岗位已停招、过期或招满，不再匹配人员。")
    earlier = _earlier_outcomes(station, "job_id", job_id)
    day = _today(station, on)
    sql, params = _candidates_sql(job, on)
    scored = []
    for n, row in enumerate(station.conn.execute(sql, params)):
        seeker = _seeker(row, day)
        factors = _factors(seeker, job, earlier.get(seeker.id))
        if factors is not None:
            scored.append((sum([points for points, _r in factors]), -n, seeker, factors))
    best = heapq.nlargest(limit, scored, key=lambda item: (item[0], item[1]))
    shown = _display_rows(station, [seeker.id for _s, _n, seeker, _f in best])
    return [Match(score, _reasons(factors), _person_display(shown[s.id], s, full_numbers), job)
            for score, _n, s, factors in best]


def _display_rows(station: Station, person_ids: list[str]) -> dict[str, dict]:
    """What the clerk sees of the few people shown, by key."""
    rows = {}
    for start in range(0, len(person_ids), 500):
        chunk = person_ids[start:start + 500]
        rows.update((r["id"], r) for r in station.query(
            "SELECT id, name, sex, id_number, phone, hukou_village, skills, current_status "
            f"FROM person WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    return rows


# -------------------------------------------------------------------- jobs side

MATCH_JOB_COLUMNS = ("id", "work_type", "place_type", "work_place", "age_min", "age_max",
                     "older_friendly", "wage_min", "wage_max", "gig", "support_workshop",
                     "village_factory", "wage_arrears")


def jobs_for_person(station: Station, person_id: str, *, limit: int = 100,
                    on: date | None = None) -> list[Match]:
    """Open jobs for a person, best first (soonest 有效期 first among equals)."""
    on = on or today()
    person = get_person(station, person_id)
    row = station.conn.execute(f"SELECT {SCORE_COLUMNS} FROM person p WHERE id = ?",
                               [person_id]).fetchone()
    seeker = _seeker(row, _today(station, on))
    earlier = _earlier_outcomes(station, "person_id", person_id)
    taken = {r[0] for r in station.conn.execute(
        "SELECT job_id FROM referral WHERE person_id = ? AND deleted_at IS NULL "
        "AND outcome IN ('pending', 'hired')", [person_id])}
    scored = []
    for n, values in enumerate(station.conn.execute(
            f"SELECT {', '.join(MATCH_JOB_COLUMNS)} FROM ({jobs.JOB_SELECT}) "
            f"WHERE {jobs.OPEN_CONDITION} ORDER BY valid_until", {"on": on.isoformat()})):
        job = dict(zip(MATCH_JOB_COLUMNS, values, strict=True))
        if job["id"] in taken:
            continue
        factors = _factors(seeker, job, earlier.get(job["id"]))
        if factors is not None:
            scored.append((sum([points for points, _r in factors]), -n, job["id"], factors))
    best = heapq.nlargest(limit, scored, key=lambda item: (item[0], item[1]))
    shown = jobs.get_jobs(station, [job_id for _s, _n, job_id, _f in best], on=on)
    display = _person_display(person, seeker, False)
    return [Match(score, _reasons(factors), display, shown[job_id])
            for score, _n, job_id, factors in best]
