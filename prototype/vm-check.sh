#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# Run check.sh inside a VM on another kernel: prototype/vm-check.sh KERNEL
# [BUILD_DIR], KERNEL as vm/fetch-kernel takes it (5.10, 6.1, 6.12, ...).
# Builds its own small initramfs (busybox-static, bash-static, ld.so, the
# static prototype and exec_helper, check.sh, an /init that runs it and
# powers off) and boots the Debian kernel under QEMU like vm/run-vm does.
# Prints check.sh's output; exits 1 if a case failed or the VM did not finish.
# Needs what vm/install-deps installs (qemu-system-x86, busybox-static,
# bash-static) and `make -C prototype static`.

set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
KERNEL=${1:?usage: vm-check.sh KERNEL [BUILD_DIR]}
out=$(cd "${2:-$root/build/prototype}" && pwd)
BUSYBOX=${BUSYBOX:-/bin/busybox}
BASH_STATIC=${BASH_STATIC:-/bin/bash-static}

for f in "$out/static/path_proto" "$out/static/exec_helper" "$out/static_prog"; do
	[ -x "$f" ] || { echo "vm-check: $f missing (make -C prototype static)" >&2; exit 2; }
done
kdir=$("$root/vm/fetch-kernel" "$KERNEL" | tail -n 1)

work=$(mktemp -d "${TMPDIR:-/tmp}/pp-vm.XXXXXX")
trap 'rm -rf "$work"' EXIT
stage=$work/stage
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,root,etc,lib64,pp/bin}
chmod 0755 "$stage"
cp "$BUSYBOX" "$stage/bin/busybox"
for applet in $("$BUSYBOX" --list-full); do
	[ -e "$stage/$applet" ] || ln -s /bin/busybox "$stage/$applet"
done
cp "$BASH_STATIC" "$stage/bin/bash"
# For the `ld.so` case: the loader alone runs `ld.so --version`.
cp -L /lib64/ld-linux-x86-64.so.2 "$stage/lib64/"
install -m 0755 "$out/static/path_proto" "$out/static/exec_helper" "$out/static_prog" \
	"$stage/pp/bin/"
install -m 0755 "$here/check.sh" "$stage/pp/check.sh"
mknod -m 0600 "$stage/dev/console" c 5 1 2>/dev/null || true
cat >"$stage/init" <<'INIT'
#!/bin/sh
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox mount -t tmpfs -o mode=1777 tmpfs /tmp
ln -s /proc/self/fd /dev/fd
echo 1 >/proc/sys/kernel/printk
{
	echo "# kernel $(uname -r)"
	/bin/bash /pp/check.sh /pp/bin 2>&1
	echo "# check.sh exit $?"
	echo "# pp-vm done"
} >/dev/ttyS1 2>&1
sync
/bin/busybox poweroff -f
INIT
chmod 0755 "$stage/init"
(cd "$stage" && find . | LC_ALL=C sort | "$BUSYBOX" cpio -o -H newc -R 0:0 2>/dev/null) |
	gzip -1 >"$work/initramfs.cpio.gz"

accel=(-accel tcg,thread=multi -cpu max)
if grep -q -w -E 'vmx|svm' /proc/cpuinfo && [ -w /dev/kvm ]; then
	accel=(-accel kvm -cpu host)
fi
timeout -k 10 "${VM_TIMEOUT:-600}" qemu-system-x86_64 "${accel[@]}" -smp 2 -m 1024 \
	-nodefaults -display none -no-reboot -kernel "$kdir/vmlinuz" \
	-initrd "$work/initramfs.cpio.gz" -append "console=ttyS0 panic=-1" \
	-serial "file:$work/console.log" -serial "file:$work/out.log" </dev/null || true
tr -d '\r' <"$work/out.log"
if ! grep -q '^# pp-vm done' "$work/out.log"; then
	echo "vm-check: the VM did not finish; console tail:" >&2
	tail -n 30 "$work/console.log" | tr -d '\r' >&2
	exit 1
fi
grep -q '^# check.sh exit 0' "$work/out.log"
