// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The cheapest program to exec: static, no libc, exits at once. Exec storms
 * use it so that the exec itself, not the program, dominates the cost.
 */
void _start(void);

void _start(void)
{
	__asm__ volatile("mov $60, %eax\n\txor %edi, %edi\n\tsyscall");
	__builtin_unreachable();
}
