#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Install what building (and, with "test", testing) execwatch needs, from the
# distribution's own packages. Debian and Ubuntu: apt-get installs whatever is
# missing, refreshing the package lists first when they are empty. Anywhere
# else: print exactly what is needed and stop.
#
#   scripts/install-deps.sh [build|test|deb]
set -euo pipefail

want="${1:-build}"
build_pkgs=(make gcc clang llvm libbpf-dev libelf-dev zlib1g-dev libyaml-dev)
test_pkgs=(libcmocka-dev bats python3 clang-format util-linux man-db groff-base strace rsyslog
	iproute2 libcap2-bin)
# make deb (dpkg-buildpackage with dh); the tests build and install the package,
# enable its unit (deb-systemd-helper) and check it with systemd-analyze.
deb_pkgs=(dpkg-dev debhelper init-system-helpers systemd)
pkgs=("${build_pkgs[@]}")
[ "$want" = test ] && pkgs+=("${test_pkgs[@]}" "${deb_pkgs[@]}")
[ "$want" = deb ] && pkgs+=("${deb_pkgs[@]}")

os_id=""
os_like=""
if [ -r /etc/os-release ]; then
	# shellcheck disable=SC1091
	. /etc/os-release
	os_id="${ID:-}"
	os_like="${ID_LIKE:-}"
fi

case " $os_id $os_like " in
*" debian "* | *" ubuntu "*) ;;
*)
	echo "execwatch: this is not Debian or Ubuntu (ID=${os_id:-unknown}), so nothing was installed." >&2
	echo "Install these with your package manager, then run make again:" >&2
	echo "  clang and llvm (10 or newer), libbpf (0.7+ with headers), libelf and zlib headers," >&2
	echo "  bpftool, make, gcc; for 'make test' also cmocka, bats, python3, clang-format." >&2
	echo "The kernel needs BTF (/sys/kernel/btf/vmlinux) and the BPF ring buffer (5.8+)." >&2
	exit 1
	;;
esac

is_installed() {
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

# bpftool is its own package on Debian 12 and Ubuntu 24.04+, part of
# linux-tools on older Ubuntu releases.
if ! command -v bpftool >/dev/null 2>&1 && [ ! -x /usr/sbin/bpftool ]; then
	pkgs+=(bpftool)
fi

missing=()
for pkg in "${pkgs[@]}"; do
	is_installed "$pkg" || missing+=("$pkg")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "execwatch: missing packages: ${missing[*]}" >&2
	echo "Install them as root: sudo apt-get install ${missing[*]}" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
lists_empty() {
	! compgen -G "/var/lib/apt/lists/*_Packages" >/dev/null
}
echo "execwatch: installing ${missing[*]}"
if lists_empty; then
	apt-get update -qq
fi
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
	# Stale lists name package versions the mirror no longer has: refresh once.
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# A bpftool that still is not on PATH (Ubuntu's linux-tools wrapper needs the
# package for the running kernel).
if ! command -v bpftool >/dev/null 2>&1 && [ ! -x /usr/sbin/bpftool ]; then
	apt-get install -y -qq --no-install-recommends "linux-tools-$(uname -r)" linux-tools-common >/dev/null ||
		{ echo "execwatch: could not install bpftool" >&2; exit 1; }
fi
