"""Grassroots information: reading an announcement aloud, an emergency's fan-out, and polling.

- Reading aloud: a 300-word announcement made of the seed articles' and demo notices' sentences
  (numbers, percentages, dates, times, money, phone numbers, acronyms), normalised
  (dictionary + g2p-hamster), synthesised by espeak-ng and encoded to MP3 by lame. The figure is
  the real-time factor: processing time ÷ duration of the audio (target < 0.1). Median of 5.
- Fan-out: the province with the most communes, with 10,000 loudspeaker clusters (one per
  village) and 2,000 bulletin boards, each already carrying three commune announcements; one
  emergency for the whole province sent by the fast path (``announcement_send_emergency``:
  the deliveries of every device and the audit, in one transaction; audio and messages go to
  the worker). Target: every playlist updated in < 5 s. Baseline: the same 12,000 delivery
  rows inserted raw in one executemany.
- Polling: the app served by gunicorn (sync workers, 2 per core + 1) on that database; wrk
  plays 10,000 clusters polling ``/api/v1/devices/playlist`` with their own tokens, as
  receivers do (``If-None-Match`` with the last ETag: mostly 304s), and once without it (full
  JSON each time). Needed: 10,000 clusters every 30 s = 333 requests/s. Reported: requests/s
  and p50 / p95 / p99 latency. Needs `gunicorn` (pip) and `wrk` (Debian); skipped without them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLUSTERS = int(os.environ.get("LANGSO_BENCH_CLUSTERS", "10000"))
BOARDS = CLUSTERS // 5
SEED = 5
WRK_SECONDS = int(os.environ.get("LANGSO_BENCH_WRK_SECONDS", "20"))

SENTENCES = [
    "Tỷ lệ hộ nghèo của tỉnh giảm từ 28,94% xuống 24,71%, tương ứng 5.349 hộ thoát nghèo.",
    "Toàn tỉnh có 1.462 tổ công nghệ số cộng đồng với 6.686 thành viên.",
    "Khoảng 50% số hộ gia đình đã có kết nối Internet cáp quang băng rộng.",
    "UBND xã tổ chức lớp hướng dẫn cài đặt VNeID mức 2 lúc 7h30 ngày 15/12/2026.",
    "Hộ nghèo được hỗ trợ 1.500.000 đồng để mua điện thoại thông minh.",
    "Mọi thắc mắc xin liên hệ tổ trưởng tổ CNS qua số 0912 345 678.",
    "HTX nông nghiệp thu mua ngô hạt với giá 7.800 đồng/kg, diện tích liên kết 2,5 ha.",
    "Bà con không đi qua ngầm, tràn, suối khi có mưa lớn, lũ quét, sạt lở đất.",
]


def _text(words: int = 300) -> str:
    parts, count, i = [], 0, 0
    while count < words:
        sentence = SENTENCES[i % len(SENTENCES)]
        parts.append(sentence)
        count += len(sentence.split())
        i += 1
    return " ".join(parts)


def bench_tts() -> str:
    from langso.outreach.tts.audio import measure, to_mp3
    from langso.outreach.tts.engines import EspeakEngine
    from langso.outreach.tts.normalize import load_spoken_forms, speech_text, word_count

    text = _text()
    forms = load_spoken_forms()
    engine = EspeakEngine()
    speech_text(text, forms)  # warm-up: g2p-hamster loads its dictionaries on first use
    rows = []
    for _ in range(5):
        t0 = time.perf_counter()
        reading = speech_text(text, forms)
        t1 = time.perf_counter()
        wav = engine.synthesize(reading.text)
        t2 = time.perf_counter()
        mp3 = to_mp3(wav)
        t3 = time.perf_counter()
        rows.append((t1 - t0, t2 - t1, t3 - t2, measure(mp3).duration_s))
    norm, synth, enc, duration = (statistics.median(col) for col in zip(*rows, strict=True))
    total = norm + synth + enc
    return "\n".join(
        [
            f"### Reading aloud: {word_count(text)} words → {duration:.1f} s of speech "
            "(median of 5)",
            "",
            "| step | time | real-time factor |",
            "|---|---:|---:|",
            f"| normalise (dictionary + g2p-hamster) | {norm * 1000:.0f} ms | "
            f"{norm / duration:.4f} |",
            f"| synthesise (espeak-ng, WAV) | {synth * 1000:.0f} ms | {synth / duration:.4f} |",
            f"| encode MP3 (lame, 64 kb/s mono) | {enc * 1000:.0f} ms | {enc / duration:.4f} |",
            f"| **all** (target < 0.1) | **{total * 1000:.0f} ms** | **{total / duration:.4f}** |",
        ]
    )


def _token(i: int) -> str:
    return f"bench-cluster-{i:05d}"


def _province(rng: random.Random):
    """The province with the most communes, 10,000 villages with a cluster each, 2,000 boards,
    a station per commune with two slots, and three current announcements per commune."""
    from django.db.models import Count
    from django.utils import timezone

    from langso.accounts.roles import Role
    from langso.accounts.services import user_create
    from langso.geo.models import Commune, Village
    from langso.outreach.models import (
        Announcement,
        AnnouncementArea,
        AudioFile,
        BroadcastSlot,
        Clip,
        Delivery,
        Device,
        Station,
    )

    province = (
        Commune.objects.values("province_id")
        .annotate(n=Count("code"))
        .order_by("-n")
        .values_list("province_id", flat=True)
        .first()
    )
    communes = list(Commune.objects.filter(province_id=province).order_by("code"))
    Village.objects.bulk_create(
        Village(
            commune=communes[i % len(communes)],
            name=f"Thôn {i}",
            name_key=f"thon {i}",
            plain_name=f"thon {i}",
        )
        for i in range(CLUSTERS)
    )
    villages = list(Village.objects.filter(commune__province_id=province).order_by("pk"))
    stations = {c.code: Station(commune=c, name=f"Đài {c.name}") for c in communes}
    Station.objects.bulk_create(stations.values())
    BroadcastSlot.objects.bulk_create(
        BroadcastSlot(station=s, starts_at=a, ends_at=b)
        for s in stations.values()
        for a, b in ((dt.time(6), dt.time(6, 30)), (dt.time(17), dt.time(17, 30)))
    )
    now = timezone.now()
    seen = [now - dt.timedelta(seconds=rng.uniform(0, 60)) for _ in range(CLUSTERS + BOARDS)]
    devices = [
        Device(
            kind="cluster",
            commune_id=v.commune_id,
            village=v,
            station=stations[v.commune_id],
            name=f"Cụm loa {i}",
            token_prefix=_token(i)[:8],
            token_digest=hashlib.sha256(_token(i).encode()).hexdigest(),
            last_seen_at=seen[i],
        )
        for i, v in enumerate(villages[:CLUSTERS])
    ] + [
        Device(
            kind="board",
            commune_id=villages[i * 5].commune_id,
            village=villages[i * 5],
            name=f"Bảng tin {i}",
            token_prefix="board",
            token_digest=hashlib.sha256(f"bench-board-{i}".encode()).hexdigest(),
            last_seen_at=seen[CLUSTERS + i],
        )
        for i in range(BOARDS)
    ]
    Device.objects.bulk_create(devices, batch_size=2000)
    by_commune: dict[str, list[int]] = {}
    for pk, commune in Device.objects.values_list("pk", "commune_id"):
        by_commune.setdefault(commune, []).append(pk)
    deliveries = []
    for n, c in enumerate(communes):
        for k in range(3):
            a = Announcement.objects.create(
                province_id=province,
                commune=c,
                title=f"Thông báo {k} của {c.name}",
                body="Nội dung thông báo.",
                category="policy",
                priority="priority" if k == 0 else "normal",
                status="published",
                valid_from=now - dt.timedelta(days=1),
                valid_until=now + dt.timedelta(days=7),
                published_at=now - dt.timedelta(days=1),
            )
            AnnouncementArea.objects.create(announcement=a, commune=c)
            sha = hashlib.sha256(f"{n}-{k}".encode()).hexdigest()
            audio = AudioFile.objects.create(
                sha256=sha, file=f"outreach/audio/{sha}.mp3", size=200_000, duration_s=45.0
            )
            Clip.objects.create(
                announcement=a, revision=1, language="vi", source="speech", audio=audio
            )
            deliveries += [
                Delivery(
                    device_id=d,
                    announcement=a,
                    revision=1,
                    priority=a.priority,
                    status="fetched",
                    queued_at=now,
                )
                for d in by_commune.get(c.code, [])
            ]
    Delivery.objects.bulk_create(deliveries, batch_size=5000)
    admin = user_create(
        actor=None,
        username="bench.admin",
        password="bench-password-1",
        role=Role.PROVINCE_ADMIN,
        full_name="Bench",
        provinces=[province],
    )
    return province, admin, len(deliveries)


def bench_fanout(province: str, admin) -> tuple[str, float, float]:
    from django.db import connection, transaction
    from django.utils import timezone

    from langso.outreach import services
    from langso.outreach.models import Delivery, Device

    devices = list(Device.objects.values_list("pk", flat=True))
    # baseline: the same number of delivery rows, raw, in one executemany
    table = Delivery._meta.db_table
    columns = "device_id, announcement_id, revision, priority, status, queued_at, done_count, "
    columns += "failures, last_error"
    now = timezone.now()
    any_announcement = Delivery.objects.values_list("announcement_id", flat=True).first()
    with transaction.atomic():
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE announcement_id = %s", [any_announcement])
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, 1, 'emergency', 'queued', "
                "%s, 0, 0, '')",
                [(d, any_announcement, now) for d in devices],
            )
        baseline = time.perf_counter() - start
        transaction.set_rollback(True)
    draft = services.Draft(
        title="Cảnh báo lũ quét, sạt lở đất",
        body="Bà con không đi qua ngầm, tràn, suối; di chuyển khỏi khu vực nguy hiểm.",
        category="disaster",
        priority="emergency",
        valid_from=now,
        valid_until=now + dt.timedelta(hours=24),
        whole_province=True,
    )
    made = services.announcement_create(actor=admin, province_code=province, draft=draft)
    start = time.perf_counter()
    services.announcement_send_emergency(actor=admin, announcement_id=made.pk, reason="benchmark")
    elapsed = time.perf_counter() - start
    reached = Delivery.objects.filter(announcement=made).count()
    table_rows = "\n".join(
        [
            f"### Fan-out of one emergency to {CLUSTERS:,} clusters and {BOARDS:,} boards",
            "",
            "| step | time | ratio |",
            "|---|---:|---:|",
            f"| baseline: {len(devices):,} delivery rows, raw executemany | "
            f"{baseline * 1000:.0f} ms | 1.0 |",
            f"| `announcement_send_emergency` (target < 5 s) | {elapsed * 1000:.0f} ms | "
            f"{elapsed / baseline:.1f} |",
            "",
            f"Playlists carrying it after the call: {reached:,} of {len(devices):,}.",
        ]
    )
    return table_rows, elapsed, baseline


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(port: int, timeout: float = 90) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


WRK_SCRIPT = """
local tokens, tags = {}, {}
for line in io.lines(os.getenv("LANGSO_TOKENS")) do
  local t, e = line:match("([^|]+)|?(.*)")
  tokens[#tokens + 1] = t; tags[#tags + 1] = e
end
local use_tags = os.getenv("LANGSO_ETAGS") == "1"
math.randomseed(7)
request = function()
  local i = math.random(#tokens)
  local headers = {["Authorization"] = "Device " .. tokens[i]}
  if use_tags and tags[i] ~= "" then headers["If-None-Match"] = tags[i] end
  return wrk.format("GET", "/api/v1/devices/playlist", headers)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.1f %.1f %.1f %d %d\\n", summary.requests,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.errors.status, summary.errors.timeout))
end
"""


def bench_polling() -> str:
    from django.db import connection
    from django.test import Client

    if not (
        shutil.which("wrk") and shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    ):
        return "### Polling\n\nSkipped: needs `gunicorn` (pip) and `wrk` (Debian)."
    client = Client()
    folder = Path(tempfile.mkdtemp(prefix="langso-wrk-"))
    lines = []
    for i in range(CLUSTERS):
        response = client.get("/api/v1/devices/playlist", HTTP_AUTHORIZATION=f"Device {_token(i)}")
        lines.append(f"{_token(i)}|{response.headers.get('ETag', '')}")
    (folder / "tokens.txt").write_text("\n".join(lines))
    (folder / "poll.lua").write_text(WRK_SCRIPT)
    port = _free_port()
    workers = 2 * (os.cpu_count() or 1) + 1
    env = {
        **os.environ,
        "LANGSO_BENCH_DB_NAME": str(connection.settings_dict["NAME"]),
        "LANGSO_ALLOWED_HOSTS": "127.0.0.1",
        "LANGSO_TOKENS": str(folder / "tokens.txt"),
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "bench.outreach_wsgi:application",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )
    rows = []
    try:
        _wait_until_up(port)
        wrk = ["wrk", "-t2", "-s", str(folder / "poll.lua"), f"http://127.0.0.1:{port}"]
        # warm-up: every worker imports the app and opens its connection before the measure
        subprocess.run(
            [*wrk, "-c64", "-d3s"], env={**env, "LANGSO_ETAGS": "0"}, capture_output=True
        )
        runs = (
            ("64 connections, with If-None-Match (mostly 304)", "1", 64),
            ("64 connections, full playlist", "0", 64),
            ("8 connections (below saturation), with If-None-Match", "1", 8),
        )
        for label, tags, connections in runs:
            done = subprocess.run(
                [*wrk, f"-c{connections}", f"-d{WRK_SECONDS}s"],
                env={**env, "LANGSO_ETAGS": tags},
                capture_output=True,
                text=True,
                check=True,
            )
            result = next(x for x in done.stdout.splitlines() if x.startswith("RESULT"))
            count, micros, p50, p95, p99, status, timeouts = result.split()[1:]
            rate = int(count) / (int(micros) / 1e6)
            rows.append(
                f"| {label} | {rate:,.0f} | {rate / (CLUSTERS / 30):.1f}× | {p50} | {p95} | "
                f"{p99} | {int(status) + int(timeouts)} |"
            )
    finally:
        server.terminate()
        server.wait(timeout=20)
    return "\n".join(
        [
            f"### Polling by {CLUSTERS:,} clusters (needed: {CLUSTERS / 30:,.0f} requests/s), "
            f"gunicorn {workers} sync workers, wrk 2 threads, {WRK_SECONDS} s a run",
            "",
            "| requests | per second | of needed | p50 ms | p95 ms | p99 ms | errors |",
            "|---|---:|---:|---:|---:|---:|---:|",
            *rows,
        ]
    )


def run() -> str:
    from langso.geo.services import units_load

    units_load()
    rng = random.Random(SEED)
    parts = [bench_tts()]
    province, admin, existing = _province(rng)
    fanout, _elapsed, _baseline = bench_fanout(province, admin)
    parts.append(fanout + f" ({existing:,} deliveries on the devices before.)")
    parts.append(bench_polling())
    return "\n\n".join(parts)
