"""Generate a large, realistic govdesk database for the performance benchmarks.

    python bench/generate.py --db bench/out/bench-120k.db --notices 120000 \\
        --postings-audit 1000000 --seed 1

What it builds (deterministic for a given --seed):

* the app's own schema and default lists (govdesk.store.database.connect runs the migrations);
  30 communities (21 村, 9 社区), 60 boards, 8 users (unusable password hashes);
* ``--notices`` notices formed 2016-01-01 … 2025-12-31 (the yearly volume grows ~50 % over the
  decade), titles and ~500-character bodies drawn from bench/corpus.py, statuses as of
  2025-12-31 (old items published, taken down or expired, ~1 % left unpublished and overdue,
  recent ones at every workflow stage), 公开属性, channels, 公示期 for 公示 items. They are
  inserted with ``govdesk.store.notice_store.insert_many`` — the store's own insert_notice, so
  the notice_search FTS rows are exactly what the app writes — inside db.atomic() transactions
  of --batch notices;
* ``--postings-audit`` rows split 40 % posting / 60 % audit_log. Postings are on the boards of
  the owning community and the township's boards, inserted in date order. Audit rows are the
  events the app would have written (create with the full after-image, submit, approve,
  publish, post, take_down, expire …) in time order, each with the payloads the operations layer
  writes, hash-chained with govdesk.core.audit.entry_hash; the chain is verified at the end
  with govdesk.core.audit.verify_chain.

Prints the timing of each phase, the table sizes, the share of notices matching the words the
benchmarks search for, and the database file size.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

from govdesk import __version__  # noqa: E402
from govdesk.core.audit import (  # noqa: E402
    GENESIS_HASH,
    canonical_json,
    entry_hash,
    sha256_text,
    verify_chain,
)
from govdesk.core.calendar import WorkCalendar  # noqa: E402
from govdesk.core.notices import WITHHOLD_GROUNDS, NoticeFilter  # noqa: E402
from govdesk.core.org import Role, Township  # noqa: E402
from govdesk.store import audit_store, database, notice_store, org_store, user_store  # noqa: E402

AS_OF = date(2025, 12, 31)  # "today" of the generated office; bench_register uses it too
FIRST_YEAR, LAST_YEAR = 2016, 2025
CREDIT_CODE = "11431122MB1C23456X"
BEIJING = timedelta(hours=8)


# ---- small helpers -------------------------------------------------------------------------------


class Timer:
    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.last = self.t0

    def lap(self, what: str) -> float:
        now = time.perf_counter()
        dt = now - self.last
        self.last = now
        print(f"  {what:<48} {dt:8.1f} s", flush=True)
        return dt

    def total(self) -> float:
        return time.perf_counter() - self.t0


def utc_iso(local: datetime) -> str:
    """A Beijing-time wall clock as the app stores timestamps (ctx.now_utc())."""
    return (local - BEIJING).replace(tzinfo=UTC).isoformat(timespec="seconds")


def office_time(rng: random.Random, d: date) -> datetime:
    minutes = rng.randint(8 * 60 + 30, 17 * 60 + 20)
    return datetime(d.year, d.month, d.day, minutes // 60, minutes % 60, rng.randint(0, 59))


def fill(rng: random.Random, template: str, ctx: dict[str, str]) -> str:
    out = []
    i = 0
    while True:
        j = template.find("{", i)
        if j < 0:
            out.append(template[i:])
            return "".join(out)
        k = template.index("}", j)
        out.append(template[i:j])
        key = template[j + 1 : k]
        out.append(ctx[key] if key in ctx else rng.choice(corpus.FILL[key]))
        i = k + 1


# ---- organisation --------------------------------------------------------------------------------


def build_org(db, rng: random.Random) -> dict:
    org_store.update_township(
        db,
        Township(
            full_name=corpus.TOWNSHIP_FULL, short_name=corpus.TOWNSHIP, credit_code=CREDIT_CODE,
            address="青石县青石镇人民路1号", phone="0739-5612345",
            index_pattern="{code}/{year}-{seq:05}",
        ),
    )
    communities = []
    for i, name in enumerate(corpus.VILLAGES + corpus.NEIGHBOURHOODS, 1):
        kind = "村" if name.endswith("村") else "社区"
        cid = org_store.insert_row(db, "community", {"name": name, "kind": kind, "sort": i})
        communities.append((cid, name, kind))
    units = {u.name: u.id for u in org_store.list_units(db)}
    boards_by_community: dict[int, list[int]] = {}
    township_boards: list[int] = []
    n = 0
    for cid, name, kind in communities:
        n += 1
        bid = org_store.insert_row(db, "board", {
            "code": f"GKL-{n:03d}", "name": f"{name}{'村务' if kind == '村' else '居务'}公开栏",
            "kind": "村务公开栏" if kind == "村" else "居务公开栏", "location": f"{name}党群服务中心",
            "community_id": cid, "unit_id": None, "active": 1,
        })
        boards_by_community[cid] = [bid]
    # the 15 biggest communities have a second board
    for cid, name, kind in communities[:15]:
        n += 1
        bid = org_store.insert_row(db, "board", {
            "code": f"GKL-{n:03d}", "name": f"{name}三务公开栏", "kind": "三务公开栏",
            "location": f"{name}村民广场" if kind == "村" else f"{name}小区门口",
            "community_id": cid, "unit_id": None, "active": 1,
        })
        boards_by_community[cid].append(bid)
    for name, kind in corpus.TOWNSHIP_BOARDS:
        n += 1
        unit = next((u for u in units if name.startswith(u[:2])), "党政办")
        bid = org_store.insert_row(db, "board", {
            "code": f"GKL-{n:03d}", "name": name, "kind": kind, "location": name[:-5] or name,
            "community_id": None, "unit_id": units.get(unit, units["党政办"]), "active": 1,
        })
        township_boards.append(bid)
    now = utc_iso(datetime(2016, 1, 4, 9, 0))
    users = {}
    for login, name, role, unit in [
        ("admin", "周文斌", Role.ADMIN, "党政办"), ("clerk1", "李丽娟", Role.CLERK, "党政办"),
        ("clerk2", "王海燕", Role.CLERK, "民政办"), ("head1", "陈国平", Role.UNIT_HEAD, "财政所"),
        ("head2", "刘春梅", Role.UNIT_HEAD, "民政办"),
        ("secrecy", "赵振华", Role.SECRECY_OFFICER, "党政办"),
        ("deputy", "杨德胜", Role.DEPUTY_LEADER, None),
        ("principal", "黄光明", Role.PRINCIPAL_LEADER, None),
    ]:
        users[login] = user_store.insert_user(
            db, login=login, name=name, role=role, unit_id=units.get(unit) if unit else None,
            password_hash="!generated-benchmark-account-cannot-log-in", created_at=now,
        )
    return {
        "communities": communities, "units": units, "boards_by_community": boards_by_community,
        "township_boards": township_boards, "users": users,
        "categories": {c.name: c.id for c in org_store.list_categories(db)},
        "channels": {c.name: c.id for c in org_store.list_channels(db)},
    }


# ---- notices -------------------------------------------------------------------------------------

TOPIC_UNIT = {
    "低保": "民政办", "救助": "民政办", "扶贫": "农业农村办", "财政": "财政所", "招标": "城建办",
    "农业": "农业农村办", "人事": "党政办", "规划": "党政办", "应急": "综治办", "村务": "党政办",
    "新闻": "党政办", "管理": "党政办",
}
# share of a topic's notices owned by a community (the rest by a unit)
TOPIC_COMMUNITY_SHARE = {"低保": 0.7, "村务": 0.9, "扶贫": 0.4, "农业": 0.3, "救助": 0.3,
                         "招标": 0.2, "财政": 0.15}
CHANNEL_P = [("公开栏", 0.78), ("门户网站", 0.7), ("微信公众号", 0.45), ("广播", 0.05),
             ("电子屏", 0.1), ("会议", 0.08), ("电视报纸", 0.02), ("其他", 0.02)]
DOC_PREFIX = {"规划": "青政发", "管理": "青政发", "应急": "青政办发", "人事": "青组发",
              "财政": "青财发", "招标": "青政函", "扶贫": "青政发"}


def workdays_of_year(cal: WorkCalendar, year: int) -> list[date]:
    d = date(year, 1, 1)
    end = min(date(year, 12, 31), AS_OF)
    out = []
    while d <= end:
        if cal.is_workday(d):
            out.append(d)
        d += timedelta(days=1)
    return out


def plan_notices(rng: random.Random, n: int, org: dict, cal: WorkCalendar) -> list[dict]:
    """Everything about each notice except its text, sorted by formation date."""
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    weights = [1 + 0.055 * i for i in range(len(years))]
    total = sum(weights)
    per_year = [int(n * w / total) for w in weights]
    per_year[-1] += n - sum(per_year)
    topics = list(corpus.TOPICS)
    tweights = [corpus.TOPICS[t][0] for t in topics]
    villages = [c for c in org["communities"]]
    plans = []
    due_cache: dict[date, date] = {}
    for year, count in zip(years, per_year, strict=True):
        days = workdays_of_year(cal, year)
        for _ in range(count):
            formed = rng.choice(days)
            topic = rng.choices(topics, tweights)[0]
            community = None
            unit = None
            if rng.random() < TOPIC_COMMUNITY_SHARE.get(topic, 0.05):
                community = rng.choice(villages)
            else:
                unit = org["units"][TOPIC_UNIT[topic]] if rng.random() < 0.85 else rng.choice(
                    list(org["units"].values()))
            plans.append({"formed": formed, "topic": topic, "community": community, "unit": unit})
    plans.sort(key=lambda p: p["formed"])
    seq_by_year: dict[int, int] = {}
    users = org["users"]
    clerks = [users["clerk1"], users["clerk2"], users["admin"]]
    for p in plans:
        formed: date = p["formed"]
        year = formed.year
        seq_by_year[year] = seq_by_year.get(year, 0) + 1
        p["index_number"] = f"{CREDIT_CODE}/{year}-{seq_by_year[year]:05d}"
        if formed not in due_cache:
            due_cache[formed] = cal.add_workdays(formed, 20)
        due = due_cache[formed]
        p["due"] = due
        r = rng.random()
        disclosure = "主动公开" if r < 0.91 else ("依申请公开" if r < 0.97 else "不予公开")
        p["disclosure"] = disclosure
        age = (AS_OF - formed).days
        published = None
        if disclosure != "主动公开":
            status = "已批准" if rng.random() < 0.85 or age < 30 else "草稿"
        elif age > 60:
            r = rng.random()
            if r < 0.01:
                status = rng.choice(["草稿", "待审批", "已批准"])  # forgotten: overdue
            elif r < 0.72:
                status = "已公开"
            elif r < 0.92:
                status = "已失效"
            else:
                status = "已撤下"
        else:
            status = rng.choices(["草稿", "待审批", "已批准", "已公开"], [15, 15, 15, 55])[0]
        if status in ("已公开", "已失效", "已撤下"):
            span = max(1, (due - formed).days)
            late = rng.random() < 0.05
            published = formed + timedelta(days=rng.randint(1, span + (20 if late else 0)))
            if published > AS_OF:
                published = AS_OF
        p["status"] = status
        p["published"] = published
        chans = []
        if disclosure == "主动公开":
            for name, prob in CHANNEL_P:
                if name == "微信公众号" and year < 2017:
                    continue
                if rng.random() < prob:
                    chans.append(org["channels"][name])
            if not chans:
                chans.append(org["channels"]["公开栏"])
        p["channels"] = chans
        p["category"] = org["categories"][rng.choice(corpus.TOPICS[p["topic"]][1])]
        p["created_by"] = rng.choice(clerks)
        p["created_dt"] = office_time(rng, formed)
    return plans


def notice_text(rng: random.Random, p: dict) -> tuple[str, str, str]:
    topic = p["topic"]
    _, _, titles, fragments = corpus.TOPICS[topic]
    year = p["formed"].year
    ctx = {"镇": corpus.TOWNSHIP, "年": str(year)}
    if p["community"] is not None:
        ctx["村"] = p["community"][1]
    title = fill(rng, rng.choice(titles), ctx)
    rare = None
    for prob, rare_title, rare_fragment in corpus.RARE:
        if rng.random() < prob:
            rare = (rare_title, rare_fragment)
            if rare_title:
                title = fill(rng, rare_title, ctx)
            break
    target = rng.randint(430, 600)
    # a few of the topic's sentences, generic ones, and for 公示 items a 公示 closing
    sentences = [fill(rng, f, ctx) for f in rng.sample(fragments, rng.randint(3, min(6, len(fragments))))]
    if rare:
        sentences.insert(rng.randint(0, len(sentences)), fill(rng, rare[1], ctx))
    closing = []
    if "公示" in title or rng.random() < 0.04:
        closing = [fill(rng, f, ctx) for f in rng.sample(corpus.PUBLICITY, rng.randint(1, 3))]
    length = sum(map(len, sentences)) + sum(map(len, closing))
    generic = rng.sample(corpus.GENERIC, len(corpus.GENERIC))
    while length < target and generic:
        sentences.append(fill(rng, generic.pop(), ctx))
        length += len(sentences[-1])
    sentences += closing
    paragraphs: list[str] = []
    i = 0
    while i < len(sentences):
        k = rng.randint(2, 4)
        paragraphs.append("".join(sentences[i : i + k]))
        i += k
    body = "\n".join(paragraphs)
    doc_number = ""
    prefix = DOC_PREFIX.get(topic)
    if prefix and rng.random() < 0.6:
        doc_number = f"{prefix}〔{year}〕{rng.randint(1, 80)}号"
    return title, body, doc_number


def notice_values(rng: random.Random, p: dict) -> dict:
    title, body, doc_number = notice_text(rng, p)
    p["title"] = title
    period_start = period_end = period_unit = None
    if "公示" in title:
        start = p["published"] or p["formed"] + timedelta(days=1)
        days = int(rng.choice(corpus.FILL["天数"]))
        period_start, period_end, period_unit = start, start + timedelta(days=days - 1), "天"
    p["period_end"] = period_end
    withhold = "" if p["disclosure"] == "主动公开" else rng.choice(WITHHOLD_GROUNDS)
    created_at = utc_iso(p["created_dt"])
    # updated_at is the last status change: filled in by plan_events (same clock as audit)
    return {
        "index_number": p["index_number"], "title": title, "body": body,
        "doc_number": doc_number, "category_id": p["category"], "disclosure": p["disclosure"],
        "withhold_ground": withhold, "unit_id": p["unit"],
        "community_id": p["community"][0] if p["community"] else None,
        "formed_on": p["formed"].isoformat(), "publish_due": p["due"].isoformat(),
        "period_start": period_start.isoformat() if period_start else None,
        "period_end": period_end.isoformat() if period_end else None,
        "period_unit": period_unit, "note": "", "status": p["status"],
        "published_on": p["published"].isoformat() if p["published"] else None,
        "year": p["formed"].year, "import_key": None, "created_by": p["created_by"],
        "created_at": created_at, "updated_at": p["updated_at"],
    }


def plan_status_events(rng: random.Random, p: dict, org: dict) -> None:
    """Times of the workflow steps of one notice (local datetimes), and updated_at."""
    users = org["users"]
    created = p["created_dt"]
    status = p["status"]
    events: list[tuple[datetime, str, str, str, str | None]] = []  # (dt, action, before, after, pub)
    end_cap = datetime(AS_OF.year, AS_OF.month, AS_OF.day, 17, 30)
    if status == "草稿":
        pass
    elif p["published"] is None:
        t_sub = min(created + timedelta(hours=rng.randint(1, 30)), end_cap)
        events.append((t_sub, "submit", "草稿", "待审批", None))
        if status == "已批准":
            t_app = min(t_sub + timedelta(hours=rng.randint(1, 48)), end_cap)
            events.append((t_app, "approve", "待审批", "已批准", None))
    else:
        t_pub = office_time(rng, p["published"])
        if t_pub <= created:
            t_pub = created + timedelta(minutes=30)
        gap = t_pub - created
        events.append((created + gap * 0.3, "submit", "草稿", "待审批", None))
        events.append((created + gap * 0.6, "approve", "待审批", "已批准", None))
        pub = p["published"].isoformat()
        events.append((t_pub, "publish", "已批准", "已公开", pub))
        if status in ("已失效", "已撤下"):
            days = rng.randint(30, 400) if status == "已失效" else rng.randint(5, 60)
            t_end = min(t_pub + timedelta(days=days), end_cap)
            if t_end <= t_pub:
                t_end = t_pub + timedelta(minutes=5)
            action = "expire" if status == "已失效" else "take_down"
            events.append((t_end, action, "已公开", status, pub))
    # make sure the steps are strictly ordered in time
    fixed = []
    prev = created
    for ev in events:
        t = ev[0] if ev[0] > prev else prev + timedelta(minutes=1)
        fixed.append((t, *ev[1:]))
        prev = t
    p["status_events"] = fixed
    p["updated_at"] = utc_iso(prev)
    p["approver"] = rng.choice([users["head1"], users["head2"], users["deputy"]])
    p["publisher"] = rng.choice([users["clerk1"], users["clerk2"]])


# ---- postings ------------------------------------------------------------------------------------


def plan_postings(rng: random.Random, plans: list[dict], org: dict, target: int) -> list[dict]:
    board_channel = org["channels"]["公开栏"]
    eligible = [
        (i, p) for i, p in enumerate(plans)
        if p["published"] is not None and board_channel in p["channels"]
    ]
    if not eligible or target <= 0:
        return []
    if target < len(eligible):
        # Every posted notice gets at least one posting: with fewer postings than notices, only
        # some notices are posted (otherwise the nudging below could never reach the target).
        eligible = sorted(rng.sample(eligible, target), key=lambda e: e[0])
    mean = target / len(eligible)
    counts = [max(1, round(rng.gauss(mean, mean / 2))) for _ in eligible]
    diff = target - sum(counts)
    while diff != 0:  # nudge random notices until the total is exact
        j = rng.randrange(len(counts))
        if diff > 0:
            counts[j] += 1
            diff -= 1
        elif counts[j] > 1:
            counts[j] -= 1
            diff += 1
    township = org["township_boards"]
    all_village_boards = [b for bs in org["boards_by_community"].values() for b in bs]
    postings = []
    users = org["users"]
    for (i, p), k in zip(eligible, counts, strict=True):
        home = org["boards_by_community"][p["community"][0]] if p["community"] else []
        candidates = list(dict.fromkeys(home + rng.sample(township, min(4, len(township)))))
        pool_needed = k - len(candidates)
        if pool_needed > 0:
            extra = [b for b in all_village_boards if b not in candidates]
            candidates += rng.sample(extra, min(pool_needed, len(extra)))
            extra2 = [b for b in township if b not in candidates]
            candidates += extra2[: max(0, k - len(candidates))]
        boards = candidates[:k]
        if len(boards) < k:  # more postings than boards: re-posting after a take-down
            boards += [rng.choice(candidates) for _ in range(k - len(boards))]
        posted_on = p["published"]
        planned = p["period_end"] or (posted_on + timedelta(days=29) if rng.random() < 0.9 else None)
        if planned is not None and planned < posted_on:
            planned = posted_on
        final = p["status_events"][-1] if p["status"] in ("已失效", "已撤下") else None
        for n, b in enumerate(boards):
            on = posted_on + timedelta(days=30 * (n // len(candidates)))  # re-postings later
            removed = None
            if final is not None:
                removed = min(final[0].date(), AS_OF)
            else:
                nominal = planned or on + timedelta(days=rng.randint(30, 120))
                nominal = nominal + timedelta(days=rng.randint(0, 3))
                if nominal < AS_OF and rng.random() < 0.97:
                    removed = nominal
            if removed is not None and removed < on:
                removed = on
            if on > AS_OF:
                on = AS_OF
                removed = None
            postings.append({
                "notice": i, "board_id": b, "posted_on": on, "planned_removal": planned,
                "removed_on": removed, "posted_by": p["publisher"],
                "removed_by": rng.choice([users["clerk1"], users["clerk2"]]) if removed else None,
                "photo": (f"{rng.getrandbits(256):064x}.jpg" if rng.random() < 0.3 else ""),
                "post_dt": max(office_time(rng, on), p["created_dt"] + timedelta(minutes=2)),
            })
    postings.sort(key=lambda x: (x["post_dt"], x["notice"], x["board_id"]))
    return postings


# ---- main ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, type=Path)
    ap.add_argument("--notices", type=int, default=120_000)
    ap.add_argument("--postings-audit", type=int, default=1_000_000,
                    help="posting + audit_log rows together (40 %% / 60 %%)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batch", type=int, default=10_000, help="notices per transaction")
    ap.add_argument("--force", action="store_true", help="overwrite an existing --db")
    args = ap.parse_args(argv)

    path: Path = args.db
    if path.exists():
        if not args.force:
            print(f"{path} exists; pass --force to overwrite", file=sys.stderr)
            return 2
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    n_postings = round(args.postings_audit * 0.4)
    n_audit = args.postings_audit - n_postings
    rng = random.Random(args.seed)
    timer = Timer()
    print(f"generating {path}: {args.notices} notices, {n_postings} postings, {n_audit} audit rows,"
          f" seed {args.seed}", flush=True)

    db = database.connect(path)
    with db.atomic():
        org = build_org(db, rng)
    cal = WorkCalendar(org_store.calendar_overrides(db))
    timer.lap("schema + organisation")

    plans = plan_notices(rng, args.notices, org, cal)
    for p in plans:
        plan_status_events(rng, p, org)
    timer.lap("planning notices")

    # Notices, through the store's own insert (notice row, notice_channel rows, FTS row).
    ids: list[int] = []
    gen_s = 0.0
    for start in range(0, len(plans), args.batch):
        t = time.perf_counter()
        rows = [(notice_values(rng, p), p["channels"]) for p in plans[start : start + args.batch]]
        gen_s += time.perf_counter() - t
        with db.atomic():
            ids.extend(notice_store.insert_many(db, rows))
        del rows
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        last = sum(1 for p in plans if p["formed"].year == year)
        db.execute(
            "INSERT INTO index_counter (year, last_seq) VALUES (?, ?)"
            " ON CONFLICT(year) DO UPDATE SET last_seq = excluded.last_seq", [year, last])
    dt = timer.lap(f"notices via notice_store.insert_many (batch {args.batch})")
    print(f"    of which generating text {gen_s:.1f} s; {len(ids) / dt:,.0f} notices/s")

    # Notices past 草稿 carry their approval as recorded slips, as migration 0007 gives the
    # notices of an older database: the database lets nothing go on a board without one.
    with db.atomic():
        db.execute(
            "INSERT INTO approval_slip (number, notice_id, notice_version, content_hash, content,"
            " chain, drafter_id, created_at) SELECT 'SPB' || printf('%07d', id), id, version,"
            " content_hash, '{}', '[]', created_by, created_at FROM notice WHERE status != '草稿'")
        db.execute(
            "INSERT INTO approval (slip_id, kind, opinion, actor_id, content_hash, completes,"
            " at_utc, app_version) SELECT id, 'record', '基准数据：按已审批登记', drafter_id,"
            " content_hash, 1, created_at, ? FROM approval_slip", [__version__])
    timer.lap("recorded approval slips")

    postings = plan_postings(rng, plans, org, n_postings)
    rows = [
        (pid, ids[x["notice"]], x["board_id"], x["posted_on"].isoformat(),
         x["planned_removal"].isoformat() if x["planned_removal"] else None,
         x["removed_on"].isoformat() if x["removed_on"] else None, x["posted_by"],
         x["removed_by"], x["photo"], utc_iso(x["post_dt"]))
        for pid, x in enumerate(postings, 1)
    ]
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO posting (id, notice_id, board_id, posted_on, planned_removal, removed_on,"
            " posted_by, removed_by, photo, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    del rows
    timer.lap(f"postings ({len(postings):,})")

    n_written = write_audit(db, rng, plans, ids, postings, n_audit)
    timer.lap(f"audit_log ({n_written:,} rows, hash chain)")

    broken = verify_chain(audit_store.iter_entries(db))
    timer.lap("verify audit chain (verify_chain over iter_entries)")
    if broken is not None:
        print(f"AUDIT CHAIN BROKEN at seq {broken}", file=sys.stderr)
        return 1

    db.execute("INSERT INTO setting (key, value) VALUES ('bench.generated', ?)", [json.dumps(
        {"notices": args.notices, "postings": len(postings), "audit": n_written,
         "seed": args.seed, "as_of": AS_OF.isoformat()})])
    database.close(db)
    timer.lap("checkpoint + close")

    db = database.connect(path)
    print("\ntable rows:")
    for table in ("notice", "notice_channel", "posting", "audit_log", "community", "board", "user"):
        print(f"  {table:<16}{db.execute(f'SELECT count(*) FROM {table}').fetchone()[0]:>10,}")
    print("  notices by status: " + ", ".join(
        f"{s} {c:,}" for s, c in db.execute("SELECT status, count(*) FROM notice GROUP BY 1")))
    avg = db.execute("SELECT avg(length(body)), avg(length(title)) FROM notice").fetchone()
    print(f"  average body {avg[0]:.0f} chars, title {avg[1]:.0f} chars")
    print("share of notices matching (notice_store.count with NoticeFilter(search=…)):")
    total = len(ids)
    for word in ("低保", "扶贫", "公示", "资金", "补贴", "低保对象", "扶贫资金", "沼气", "尾矿",
                 "古树名木"):
        c = notice_store.count(db, NoticeFilter(search=word))
        print(f"  {word:<6} {c:>8,}  {100 * c / total:5.2f} %")
    database.close(db)
    size = path.stat().st_size
    print(f"\ndatabase file {path}: {size / 1e6:,.0f} MB ({size:,} bytes)")
    print(f"total {timer.total():.1f} s")
    return 0


def write_audit(db, rng, plans, ids, postings, target: int) -> int:
    """Audit rows the app would have written, in time order, hash-chained; exactly ``target``."""
    # (local datetime, tiebreak, kind, ref, extra)
    notice_events = []
    for i, p in enumerate(plans):
        notice_events.append((p["created_dt"], i, "create", i, None))
        for ev in p["status_events"]:
            notice_events.append((ev[0], i, "status", i, ev))
    posting_events = []
    for j, x in enumerate(postings):
        posting_events.append((x["post_dt"], j, "post", j, None))
        if x["removed_on"] is not None:
            t = max(office_time(rng, x["removed_on"]), x["post_dt"] + timedelta(minutes=1))
            posting_events.append((t, j, "unpost", j, None))
    if len(notice_events) >= target:
        events = rng.sample(notice_events, target)
    else:
        need = target - len(notice_events)
        events = notice_events + (
            rng.sample(posting_events, need) if need <= len(posting_events) else posting_events)
        k = 0
        while len(events) < target:  # tiny databases: pad with sign-ins
            k += 1
            d = date(FIRST_YEAR, 1, 4) + timedelta(days=k % 3600)
            events.append((office_time(rng, d), k, "login", k, None))
    del notice_events, posting_events
    events.sort(key=lambda e: (e[0], e[1], e[2]))

    prev = GENESIS_HASH
    last_ts = ""
    batch: list[tuple] = []
    seq = 0
    cols = ("seq, ts_utc, actor_id, action, object_type, object_id, payload, payload_sha256,"
            " app_version, prev_hash, entry_hash, clock_flag")
    sql = f"INSERT INTO audit_log ({cols}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
    raw_cols = notice_store.NOTICE_COLUMNS

    def flush() -> None:
        with db.atomic():
            db.conn.executemany(sql, batch)
        batch.clear()

    for dt, _tb, kind, ref, extra in events:
        if kind == "create":
            p = plans[ref]
            nid = ids[ref]
            r = db.execute(f"SELECT {', '.join(raw_cols)} FROM notice WHERE id = ?",
                           [nid]).fetchone()
            after = dict(zip(raw_cols, r, strict=True))
            after.update(status="草稿", published_on=None, updated_at=after["created_at"])
            after["channel_ids"] = sorted(p["channels"])
            actor, action, otype, oid, payload = p["created_by"], "create", "notice", nid, {
                "after": after}
        elif kind == "status":
            p = plans[ref]
            _t, action, before, after_status, pub = extra
            actor = p["approver"] if action == "approve" else (
                p["created_by"] if action == "submit" else p["publisher"])
            otype, oid = "notice", ids[ref]
            payload = {"before": {"status": before},
                       "after": {"status": after_status, "published_on": pub}, "reason": ""}
        elif kind == "post":
            x = postings[ref]
            actor, action, otype, oid = x["posted_by"], "post", "posting", ref + 1
            payload = {"notice_id": ids[x["notice"]], "board_id": x["board_id"],
                       "posted_on": x["posted_on"].isoformat(),
                       "planned_removal": (x["planned_removal"].isoformat()
                                           if x["planned_removal"] else None),
                       "photo": x["photo"]}
        elif kind == "unpost":
            x = postings[ref]
            actor, action, otype, oid = x["removed_by"], "take_down", "posting", ref + 1
            payload = {"notice_id": ids[x["notice"]], "board_id": x["board_id"],
                       "removed_on": x["removed_on"].isoformat()}
        else:
            actor, action, otype, oid, payload = 2, "login", "user", 2, {"ok": True}
        seq += 1
        ts = utc_iso(dt)
        flag = "时间倒退" if last_ts and ts < last_ts else ""
        last_ts = max(ts, last_ts)
        text = canonical_json(payload)
        digest = sha256_text(text)
        oid = str(oid)
        h = entry_hash(prev_hash=prev, seq=seq, ts_utc=ts, actor_id=actor, action=action,
                       object_type=otype, object_id=oid, payload_sha256=digest,
                       app_version=__version__)
        batch.append((seq, ts, actor, action, otype, oid, text, digest, __version__, prev, h, flag))
        prev = h
        if len(batch) >= 50_000:
            flush()
    if batch:
        flush()
    return seq


if __name__ == "__main__":
    raise SystemExit(main())
