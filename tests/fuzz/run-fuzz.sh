#!/bin/sh
# run-fuzz.sh HARNESS NAME SECONDS MAX_LEN SEEDS [CORPUS]
#
# Runs one libFuzzer harness of the fuzzing build (tests/fuzz/) for SECONDS on one core,
# from its seed corpus SEEDS (tests/fuzz/corpus/NAME, only read), growing CORPUS (a folder
# kept between runs, as make fuzz has it: PB_FUZZ_CORPUS/NAME; a temporary one when
# empty, as the fuzz suite of make test has it). PB_FUZZ_SECONDS overrides SECONDS. An
# input that crashes, leaks, trips a sanitizer, runs out of time or of memory is written to
# tests/fuzz/crashes/ and fails the run.
set -u

harness=$1 name=$2 seconds=${PB_FUZZ_SECONDS:-$3} max_len=$4 seeds=$5 corpus=${6:-}
[ -n "${PB_FUZZ_CORPUS:-}" ] && corpus=$PB_FUZZ_CORPUS/$name
here=$(cd "$(dirname "$0")" && pwd)
crashes=$here/crashes
mkdir -p "$crashes"

tmp=
if [ -z "$corpus" ]; then
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/pb-fuzz-$name-XXXXXX")
  corpus=$tmp
fi
mkdir -p "$corpus"

dict=
[ -f "$here/dict/$name.dict" ] && dict="-dict=$here/dict/$name.dict"

export G_SLICE=always-malloc G_DEBUG=gc-friendly LC_ALL=C.UTF-8
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:fast_unwind_on_malloc=0:allocator_may_return_null=1}"
export LSAN_OPTIONS="suppressions=$here/../lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

# shellcheck disable=SC2086
"$harness" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$crashes/$name-" $dict "$corpus" "$seeds"
rc=$?
# libFuzzer fails with 77 (its -error_exitcode), which meson takes for a skipped test.
[ $rc -eq 77 ] && rc=1
[ -n "$tmp" ] && rm -rf "$tmp"
if [ $rc -ne 0 ]; then
  echo "fuzz-$name failed: the input is in $crashes/ (named $name-crash-…, leak-…, timeout-… or oom-…)." >&2
  echo "Move it into tests/fuzz/corpus/$name/ (a test of the normal build from then on), fix the bug, commit both." >&2
fi
exit $rc
