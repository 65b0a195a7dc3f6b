#!/bin/sh
# The two Quick start commands of README.md.
#
#   packaging/dev.sh demo [ARGS]   install deps, build, run `wharf demo ARGS`
#   packaging/dev.sh test          install deps, build with ASan+UBSan, run
#                                  a short libFuzzer pass, then every test
#
# Build trees: build/ (the demo), build-asan/ (tests), build-fuzz/ (clang).
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

usage() {
	echo "usage: packaging/dev.sh demo [wharf demo options] | test" >&2
	exit 2
}

[ $# -ge 1 ] || usage
verb=$1
shift

packaging/bootstrap.sh

case "$verb" in
demo)
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build build -j "$jobs"
	exec build/wharf demo "$@"
	;;
test)
	# Fuzz first: its short bounded runs need clang, and only the fuzz
	# targets are built with it.
	CC=clang cmake -S . -B build-fuzz -DWHARF_FUZZ=ON >/dev/null
	targets=$(for f in tests/fuzz/fuzz_*.c; do basename "$f" .c; done)
	# shellcheck disable=SC2086
	cmake --build build-fuzz -j "$jobs" --target $targets
	ctest --test-dir build-fuzz -R '^fuzz/run/' --output-on-failure

	cmake -S . -B build-asan -DWHARF_SANITIZE=ON -DWHARF_WERROR=ON >/dev/null
	cmake --build build-asan -j "$jobs"
	ctest --test-dir build-asan -j "$jobs" --output-on-failure --timeout 1200
	;;
*)
	usage
	;;
esac
