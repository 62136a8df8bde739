#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# skel-same-layout.sh A_SKEL A_NAME B_SKEL B_NAME
#
# The loader opens skeleton A with object B's ELF bytes (the build without
# the kfunc extern). That is sound only when both skeletons describe the same
# programs, maps and data sections at the same places: their structs must be
# the same text once B's name reads as A's. Exits 1 with the difference if not.
set -eu

[ $# -eq 4 ] || { echo "usage: $0 A_SKEL A_NAME B_SKEL B_NAME" >&2; exit 2; }
a_skel=$1 a_name=$2 b_skel=$3 b_name=$4

layout() { # SKEL NAME: the skeleton's struct, named A
	sed -n "/^struct $2 {\$/,/^};\$/p" "$1" | sed "s/\\b$2\\b/$a_name/g; s/\\b$2__/${a_name}__/g"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
layout "$a_skel" "$a_name" >"$tmp/a"
layout "$b_skel" "$b_name" >"$tmp/b"
# An empty extract would compare equal: a bpftool that words it otherwise.
if [ "$(grep -c . "$tmp/a")" -lt 5 ]; then
	echo "$0: no 'struct $a_name {' in $a_skel: cannot compare the layouts" >&2
	exit 1
fi
if ! diff -u "$tmp/a" "$tmp/b" >"$tmp/diff"; then
	echo "$0: $b_skel does not match $a_skel; the loader cannot use one for the other:" >&2
	cat "$tmp/diff" >&2
	exit 1
fi
