#!/bin/sh
# Every figure in docs/benchmarks.md, in one go (≈ 10 min on a 2-core machine, +2 min to generate). Output: bench/out/.
#   sh bench/run_all.sh            # from the project root, with .venv present
set -eu
PY=${PY:-.venv/bin/python}
DB=bench/out/bench-120k.db
mkdir -p bench/out

[ -f "$DB" ] || $PY bench/generate.py --db "$DB" --notices 120000 --postings-audit 1000000 \
    --seed 1 | tee bench/out/generate-120k.log

# the register as the code is today
$PY bench/bench_register.py --db "$DB" --repeat 7 --cold --out bench/out/register-120k.md \
    2> bench/out/register-120k.log

# the ledger export
$PY bench/bench_export.py --db "$DB" --repeat 3 | tee bench/out/export-120k.md

# the proposed changes, on a copy (main result, with a check that results are unchanged)
C=bench/out/proposed-120k.db
$PY bench/experiment_proposed.py --db "$DB" --copy $C --stats fixed --verify \
    --out bench/out/proposed-120k.md 2> bench/out/proposed-120k.log
# which part does what (no deep scroll)
run() { name=$1; shift
    $PY bench/experiment_proposed.py --db "$DB" --copy $C --no-scroll "$@" \
        --out "bench/out/attr-$name.md" 2> "bench/out/attr-$name.log"; }
run current-analyze    --code current  --no-indexes --stats analyze
run code-only          --code proposed --no-indexes --stats none
run code-analyze       --code proposed --no-indexes --stats analyze
run code-indexes       --code proposed --stats none
run code-indexes-an400 --code proposed --stats analyze400
run code-indexes-an    --code proposed --stats analyze
# first screens with a cold OS page cache: today's code on $DB, proposed code on the copy
$PY bench/experiment_proposed.py --db "$DB" --copy $C --stats fixed --cold \
    --out bench/out/cold-120k.md 2> bench/out/cold-120k.log
rm -f $C $C-wal $C-shm

# one-character search: LIKE today vs an FTS5 prefix query
$PY bench/experiment_one_char.py --db "$DB" | tee bench/out/one-char-120k.md
