// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* A static program for the chroot case of check.sh: needs nothing in the chroot. */
int main(void)
{
	return 0;
}
