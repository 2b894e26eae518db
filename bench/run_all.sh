#!/bin/sh
# Every figure in docs/benchmarks.md, in one go, against the code as it is (≈ 13 min on a 2-core
# machine, + 2 min to generate the database). Output: bench/out/ (git-ignored).
#   sh bench/run_all.sh            # from the project root, with .venv present
# Run nothing else meanwhile: the start-up figures are a few hundred ms and easily disturbed.
set -eu
PY=${PY:-.venv/bin/python}
DB=bench/out/bench-120k.db
DEMO=bench/out/demo-startup.db
PYC=bench/out/pycache
mkdir -p bench/out

# the 120,000-notice database (made through the app's own store code and migrations)
[ -f "$DB" ] || $PY bench/generate.py --db "$DB" --notices 120000 --postings-audit 1000000 \
    --seed 1 | tee bench/out/generate-120k.log

# migrations: bring an older database up to date (nothing to do when it is: a new database gets
# every step when generated), then re-time the backup and steps 0003/0004 on it
$PY bench/migrate_timed.py --db "$DB" --delete-backup | tee bench/out/migrate-upgrade-120k.log
$PY bench/migrate_timed.py --db "$DB" --redo | tee bench/out/migrate-redo-120k.log

# the register: first screens, one-character exactness, deep scroll, cold cache
$PY bench/bench_register.py --db "$DB" --repeat 7 --cold --out bench/out/register-120k.md \
    2> bench/out/register-120k.log
# every scenario's query plan (stderr)
$PY bench/bench_register.py --db "$DB" --repeat 1 --plans --no-scroll > /dev/null \
    2> bench/out/plans-120k.log

# the ledger export
$PY bench/bench_export.py --db "$DB" --repeat 3 | tee bench/out/export-120k.md

# start-up: a small fresh demo database and the 120k one; as the environment has it (in the
# sandbox PYTHONDONTWRITEBYTECODE=1: govdesk's modules are compiled in every run) and with
# bytecode cached (as installed)
rm -rf "$DEMO" "$DEMO-wal" "$DEMO-shm" bench/out/demo-startup-files
$PY -m govdesk demo --db "$DEMO" > /dev/null
for d in "$DEMO" "$DB"; do
    n=$(basename "$d" .db)
    { $PY bench/bench_startup.py --db "$d" --runs 10
      $PY bench/bench_startup.py --db "$d" --runs 10 --pycache $PYC
    } | tee "bench/out/startup-$n.txt"
    $PY bench/startup_timeline.py --db "$d" --runs 15 --pycache $PYC \
        > "bench/out/timeline-$n.md"
done
# the 120k database after a reboot (database file evicted from the OS cache before each run)
$PY bench/startup_timeline.py --db "$DB" --runs 7 --pycache $PYC --cold-db \
    > bench/out/timeline-bench-120k-cold-db.md
$PY bench/startup_timeline.py --db "$DB" --runs 7 --pycache $PYC --cold-db --try fast-calendar \
    --try takedown-limit=200 --try resize-precision=50 --try no-sqlite-utils \
    > bench/out/timeline-bench-120k-cold-db-all-four.md
# the dashboard's queries one by one, OS cache warm and cold
$PY bench/bench_dashboard.py --db "$DB" > bench/out/dashboard-120k.md
$PY bench/bench_dashboard.py --db "$DB" --cold > bench/out/dashboard-120k-cold.md
$PY bench/import_costs.py --db "$DEMO" --runs 7 --pycache $PYC > bench/out/import-costs.md
# the same as the environment has it (PYTHONDONTWRITEBYTECODE=1: govdesk compiled every run)
$PY bench/import_costs.py --db "$DEMO" --runs 7 > bench/out/import-costs-no-pycache.md
QT_QPA_PLATFORM=offscreen $PY -X importtime -m govdesk --smoke-test --db "$DEMO" \
    2> bench/out/importtime-demo.log

# start-up experiments (NOT today's code: see startup_timeline.py's --try), round robin with the
# bare window and today's app; then the detailed timeline with all four
for d in "$DEMO" "$DB"; do
    n=$(basename "$d" .db)
    $PY bench/startup_timeline.py --db "$d" --runs 20 --pycache $PYC \
        --variant calendar=fast-calendar --variant takedown200=takedown-limit=200 \
        --variant precision50=resize-precision=50 --variant no-sqlite-utils=no-sqlite-utils \
        --variant all-four=fast-calendar,takedown-limit=200,resize-precision=50,no-sqlite-utils \
        > "bench/out/startup-experiments-$n.md"
    $PY bench/startup_timeline.py --db "$d" --runs 15 --pycache $PYC --try fast-calendar \
        --try takedown-limit=200 --try resize-precision=50 --try no-sqlite-utils \
        > "bench/out/timeline-$n-all-four.md"
done
# the small database's result is close to 2x: a longer round robin of the two that matter there
$PY bench/startup_timeline.py --db "$DEMO" --runs 40 --pycache $PYC \
    --variant no-sqlite-utils=no-sqlite-utils \
    --variant all-four=fast-calendar,takedown-limit=200,resize-precision=50,no-sqlite-utils \
    > bench/out/startup-experiments-demo-startup-40.md

# printing against LibreOffice (needs soffice and python-docx; skips the peer without them)
$PY bench/bench_print.py --runs 30 | tee bench/out/print.md
# the audit chain; the assessment at the scale (in memory and from a database), the 通报,
# and the quarterly xlsx against LibreOffice converting the same table as CSV (needs soffice,
# Debian: libreoffice-calc-nogui; skips the peer without it)
$PY bench/bench_audit_verify.py | tee bench/out/audit-verify.md
$PY bench/bench_scoring.py --runs 7 | tee bench/out/scoring.md
# the annual report of a township with 20 years of applications (2,000) on a 200,000-notice
# register (≈ 8 min to generate the first time)
DB200=bench/out/bench-200k.db
[ -f "$DB200" ] || $PY bench/generate.py --db "$DB200" --notices 200000 --postings-audit 400000 \
    --seed 1 | tee bench/out/generate-200k.log
$PY bench/bench_annual_report.py --db "$DB200" --runs 5 | tee bench/out/annual-report.md
