// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Workloads for the kernel tests: each subcommand reproduces one exact kernel
 * behaviour (exec from a thread, fexecve of a memfd, argc 0, a failed exec
 * with a known errno, a storm of execs) so a test can assert on what
 * execwatch reported for it. Exit status 0 means the workload did what it
 * was asked; the tests check execwatch's output, not ours.
 *
 *   ewtest exec PATH ARGV0 [ARG...]     execve(PATH, {ARGV0, ARG...}); on failure
 *                                       print the errno name and exit 0
 *   ewtest argc0 PATH                   execve(PATH, {NULL})
 *   ewtest exec-edge PATH ARGV0 [ARG...]    execve with the argv[] array (its NULL
 *                                       included) ending at the last byte of a page
 *                                       followed by an unmapped page: a reader that
 *                                       fetches pointers in blocks runs into it
 *   ewtest execveat-fd PATH ARGV0 [ARG...]  open PATH, execveat(fd, "", AT_EMPTY_PATH)
 *   ewtest memfd NAME SRC ARGV0 [ARG...]    copy SRC into memfd NAME, fexecve it
 *   ewtest thread PATH ARGV0 [ARG...]   exec from a second thread; the leader waits
 *   ewtest thread-flood N PATH          N times: fork, exec PATH from a new thread
 *   ewtest storm N WORKERS PATH MARKER  N posix_spawns of PATH MARKER-<i>, across WORKERS
 *   ewtest leader-exit CODE             the leader thread exits first; a worker then
 *                                       calls _exit(CODE) (the process's status)
 *   ewtest tamper N EWTEST DIR MARK     N times: fork a child whose second thread flips one
 *                                       byte of an argument ('A' <-> 'B') in a tight loop
 *                                       while the child execs
 *                                       EWTEST argv-dump DIR/<i> MARK-A-<i>
 *   ewtest argv-dump FILE [ARG...]      write this program's argv, NUL-separated, to FILE
 *                                       (what the kernel really gave it)
 *   ewtest reuse-pid PATH ARG           fork a child that execs PATH ARG-a; when it is
 *                                       gone, clone3(set_tid) a child with the same pid
 *                                       that execs PATH ARG-b; prints the pid
 *   ewtest rename-exec NAME PATH ARGV0 [ARG...]   prctl(PR_SET_NAME, NAME), then execve:
 *                                       a program that renamed itself before exec
 *   ewtest group-exit THREADS CODE      start THREADS threads that wait on one barrier,
 *                                       then all call exit_group(CODE) at once: every
 *                                       thread of the process exits concurrently
 *   ewtest ponr FILE ARG                write an ELF to FILE that the kernel rejects past
 *                                       the point of no return, after mapping a page at
 *                                       the caller's argv; a child execs FILE with argv
 *                                       {ARG} and filename FILE, both kept in that page
 *                                       of its own memory; the ELF's page holds
 *                                       {"forged-ARG"} and "/forged/ARG" in their place.
 *                                       Prints the child's end ("signal 11")
 *   ewtest ponr FILE ARG thread         the same, the exec from the child's second thread
 *
 * Every "@MARK@" in an argument is replaced by $EW_MARK, so the marker is in
 * the exec under test and not in ewtest's own argv (which execwatch reports
 * too).
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int report_exec_error(const char *what)
{
	/* A failed exec is an expected outcome for some tests: report, exit 0. */
	printf("%s failed: %s\n", what, strerrorname_np(errno));
	return 0;
}

static int cmd_exec(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	execve(argv[0], argv + 1, environ);
	return report_exec_error("execve");
}

static int cmd_exec_edge(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t need = (size_t)argc * sizeof(char *); /* argv + 1 .. and the NULL */
	char *area, **edge;
	int i;

	if (argc < 2 || need > (size_t)page)
		return 2;
	area = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED || munmap(area + page, page))
		return 1;
	edge = (char **)(area + page - need);
	for (i = 1; i < argc; i++)
		edge[i - 1] = argv[i];
	edge[argc - 1] = NULL;
	execve(argv[0], edge, environ);
	return report_exec_error("execve");
}

static int cmd_argc0(int argc, char **argv)
{
	char *empty[] = { NULL };

	if (argc < 1)
		return 2;
	execve(argv[0], empty, environ);
	return report_exec_error("execve");
}

static int cmd_execveat_fd(int argc, char **argv)
{
	int fd;

	if (argc < 2)
		return 2;
	fd = open(argv[0], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror("open");
		return 1;
	}
	syscall(SYS_execveat, fd, "", argv + 1, environ, AT_EMPTY_PATH);
	return report_exec_error("execveat");
}

static int cmd_memfd(int argc, char **argv)
{
	struct stat st;
	int src, mfd;

	if (argc < 3)
		return 2;
	src = open(argv[1], O_RDONLY);
	if (src < 0 || fstat(src, &st)) {
		perror("open source");
		return 1;
	}
	mfd = memfd_create(argv[0], MFD_CLOEXEC);
	if (mfd < 0 || sendfile(mfd, src, NULL, (size_t)st.st_size) != st.st_size) {
		perror("memfd");
		return 1;
	}
	close(src);
	fexecve(mfd, argv + 2, environ);
	return report_exec_error("fexecve");
}

struct thread_exec_args {
	char **argv; /* PATH ARGV0 ARG... */
};

static void *thread_exec_main(void *arg)
{
	struct thread_exec_args *a = arg;

	execve(a->argv[0], a->argv + 1, environ);
	report_exec_error("execve from thread");
	fflush(stdout);
	_exit(0);
}

static int cmd_thread(int argc, char **argv)
{
	struct thread_exec_args args = { .argv = argv };
	pthread_t thread;

	if (argc < 2)
		return 2;
	printf("leader pid %d\n", getpid());
	fflush(stdout);
	if (pthread_create(&thread, NULL, thread_exec_main, &args))
		return 1;
	/* The exec in the thread replaces the whole process, this thread too. */
	pthread_join(thread, NULL);
	return 1;
}

static int cmd_thread_flood(int argc, char **argv)
{
	long n, i;

	if (argc < 2)
		return 2;
	n = strtol(argv[0], NULL, 10);
	for (i = 0; i < n; i++) {
		char *child_argv[] = { argv[1], argv[1], NULL };
		struct thread_exec_args args = { .argv = child_argv };
		pid_t pid = fork();
		int status;

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			pthread_t thread;

			if (pthread_create(&thread, NULL, thread_exec_main, &args))
				_exit(1);
			pthread_join(thread, NULL);
			_exit(1);
		}
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "child %ld failed\n", i);
			return 1;
		}
	}
	return 0;
}

static int storm_worker(long first, long count, const char *path, const char *marker)
{
	char arg[256];
	long i;

	for (i = first; i < first + count; i++) {
		char *spawn_argv[] = { (char *)path, arg, NULL };
		pid_t pid;
		int status;

		snprintf(arg, sizeof(arg), "%s-%ld", marker, i);
		if (posix_spawn(&pid, path, NULL, NULL, spawn_argv, environ)) {
			perror("posix_spawn");
			return 1;
		}
		if (waitpid(pid, &status, 0) < 0)
			return 1;
	}
	return 0;
}

static int cmd_storm(int argc, char **argv)
{
	long n, workers, w, per, first = 0;
	int failed = 0;

	if (argc < 4)
		return 2;
	n = strtol(argv[0], NULL, 10);
	workers = strtol(argv[1], NULL, 10);
	if (n < 1 || workers < 1)
		return 2;
	per = n / workers;
	for (w = 0; w < workers; w++) {
		long count = w == workers - 1 ? n - first : per;
		pid_t pid = fork();

		if (pid == 0)
			_exit(storm_worker(first, count, argv[2], argv[3]));
		if (pid < 0)
			return 1;
		first += count;
	}
	for (w = 0; w < workers; w++) {
		int status;

		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			failed = 1;
	}
	return failed;
}

/* Replace each "@MARK@" in arg by mark; returns arg itself when there is none. */
static char *substitute_mark(char *arg, const char *mark)
{
	static const char token[] = "@MARK@";
	size_t token_len = sizeof(token) - 1, mark_len = strlen(mark);
	char *at = strstr(arg, token), *out;

	if (!at)
		return arg;
	out = malloc(strlen(arg) + mark_len + 1);
	if (!out)
		abort();
	memcpy(out, arg, (size_t)(at - arg));
	memcpy(out + (at - arg), mark, mark_len);
	strcpy(out + (at - arg) + mark_len, at + token_len);
	return substitute_mark(out, mark);
}

/*
 * Exit once the leader thread is really gone: a zombie ('Z' in its
 * /proc/self/task/PID/stat) until the last thread exits. A fixed sleep was
 * not enough under software emulation on a busy host (the worker exited
 * first, and the leader was reported as the last thread). 10 s at most.
 */
static void *exit_later(void *arg)
{
	char path[64], buf[512];
	int i;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)getpid());
	for (i = 0; i < 1000; i++) {
		const char *paren;
		ssize_t n;
		int fd;

		usleep(10 * 1000);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			break;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			break;
		buf[n] = '\0';
		/* "PID (COMM) STATE ...": COMM may hold ')', so take the last one. */
		paren = strrchr(buf, ')');
		if (paren && (paren[2] == 'Z' || paren[2] == 'X'))
			break;
	}
	_exit((int)(long)arg);
}

static int cmd_leader_exit(int argc, char **argv)
{
	pthread_t worker;

	if (argc < 1)
		return 2;
	if (pthread_create(&worker, NULL, exit_later, (void *)strtol(argv[0], NULL, 10)))
		return 1;
	pthread_exit(NULL);
}

static volatile int flipping;

/* Flip the byte in a tight loop until the exec kills this thread (de_thread()). */
static void *flip_byte(void *arg)
{
	volatile char *byte = arg;
	unsigned long i;

	flipping = 1;
	/* Each value held for a few hundred ns: about the sys_enter..copy_strings() gap. */
	for (i = 0;; i++)
		*byte = (i >> 8) & 1 ? 'B' : 'A';
	return NULL;
}

static int cmd_tamper(int argc, char **argv)
{
	long n, i;

	if (argc < 4)
		return 2;
	n = strtol(argv[0], NULL, 10);
	for (i = 0; i < n; i++) {
		/* All on the stack: readable at sys_enter (see tamper.h on file pages). */
		char file[4096], arg[512], cmd[] = "argv-dump";
		char *child_argv[] = { argv[1], cmd, file, arg, NULL };
		pid_t pid;
		int status;

		snprintf(file, sizeof(file), "%s/%ld", argv[2], i);
		snprintf(arg, sizeof(arg), "%s-A-%ld", argv[3], i);
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			pthread_t thread;

			if (pthread_create(&thread, NULL, flip_byte, arg + strlen(argv[3]) + 1))
				_exit(1);
			while (!flipping)
				;
			execve(argv[1], child_argv, environ);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "child %ld failed\n", i);
			return 1;
		}
	}
	return 0;
}

static int cmd_argv_dump(int argc, char **argv)
{
	FILE *f;
	int i;

	if (argc < 1)
		return 2;
	f = fopen(argv[0], "w");
	if (!f)
		return 1;
	/* Our own argv, from main(): argv[-2] is the program, argv[-1] "argv-dump". */
	for (i = -2; i < argc; i++)
		fwrite(argv[i], 1, strlen(argv[i]) + 1, f);
	return fclose(f) ? 1 : 0;
}

static pid_t spawn_with_pid(pid_t pid, char *path, char *arg)
{
	struct clone_args args = { .exit_signal = SIGCHLD };
	pid_t set_tid = pid;
	long child;

	if (pid) {
		args.set_tid = (uint64_t)(uintptr_t)&set_tid;
		args.set_tid_size = 1;
	}
	child = syscall(SYS_clone3, &args, sizeof(args));
	if (child == 0) {
		char *child_argv[] = { path, arg, NULL };

		execve(path, child_argv, environ);
		_exit(127);
	}
	return (pid_t)child;
}

static int cmd_reuse_pid(int argc, char **argv)
{
	char arg_a[256], arg_b[256];
	pid_t first, second = -1;
	int status, tries;

	if (argc < 2)
		return 2;
	snprintf(arg_a, sizeof(arg_a), "%s-a", argv[1]);
	snprintf(arg_b, sizeof(arg_b), "%s-b", argv[1]);
	first = spawn_with_pid(0, argv[0], arg_a);
	if (first < 0 || waitpid(first, &status, 0) != first)
		return 1;
	/* Another process may take the pid first (EEXIST): try a few times. */
	for (tries = 0; tries < 50 && second < 0; tries++)
		second = spawn_with_pid(first, argv[0], arg_b);
	if (second != first) {
		perror("clone3 set_tid");
		return 1;
	}
	waitpid(second, &status, 0);
	printf("%d\n", first);
	return 0;
}

static int cmd_rename_exec(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	if (prctl(PR_SET_NAME, argv[0], 0, 0, 0))
		return 1;
	execve(argv[1], argv + 2, environ);
	return report_exec_error("execve");
}

static pthread_barrier_t group_exit_barrier;

/* Every thread, the leader too, leaves through exit_group() at the same moment. */
static void *group_exit_main(void *arg)
{
	pthread_barrier_wait(&group_exit_barrier);
	syscall(SYS_exit_group, (int)(intptr_t)arg);
	return NULL;
}

static int cmd_group_exit(int argc, char **argv)
{
	long threads, i;
	int code;
	pthread_t t;

	if (argc < 2)
		return 2;
	threads = strtol(argv[0], NULL, 10);
	code = (int)strtol(argv[1], NULL, 10);
	if (threads < 1 || threads > 1024 ||
	    pthread_barrier_init(&group_exit_barrier, NULL, (unsigned)threads + 1))
		return 2;
	for (i = 0; i < threads; i++)
		if (pthread_create(&t, NULL, group_exit_main, (void *)(intptr_t)code))
			return 1;
	group_exit_main((void *)(intptr_t)code);
	return 1;
}

/*
 * ewtest ponr: the page both the caller and the ELF put at PONR_ADDR. The
 * argv array at its start, the one string at +0x100, the filename at
 * +0x200.
 */
#define PONR_ADDR 0x200000000UL
#define PONR_PAGE 0x1000

static void ponr_fill(char *page, const char *arg, const char *path)
{
	uint64_t *ptrs = (uint64_t *)page;

	snprintf(page + 0x100, 0x100, "%s", arg);
	snprintf(page + 0x200, PONR_PAGE - 0x200, "%s", path);
	ptrs[0] = PONR_ADDR + 0x100;
	ptrs[1] = 0;
}

/*
 * An x86-64 ELF of two PT_LOAD segments. The first maps the file's second
 * page at PONR_ADDR, writable and longer in memory than in the file, so
 * the kernel zeroes its tail and the page is present when a reader looks
 * (BPF cannot fault pages in). The second lies in the kernel's half of the
 * address space, above any TASK_SIZE (0x900000000000 was not: the 6.1 and
 * 6.12 guests mapped it, likely with 5-level paging, and the exec then
 * succeeded): mapping it fails
 * after begin_new_exec(), with the caller's memory already replaced, and
 * the kernel kills the process with SIGSEGV.
 */
static int ponr_write_elf(const char *path, const char *arg)
{
	static char file[2 * PONR_PAGE];
	Elf64_Ehdr *eh = (Elf64_Ehdr *)file;
	Elf64_Phdr *ph = (Elf64_Phdr *)(file + sizeof(*eh));
	char forged_arg[0x100], forged_path[0x100];
	int fd;

	memset(file, 0, sizeof(file));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = PONR_ADDR;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 2;
	ph[0].p_type = PT_LOAD;
	ph[0].p_flags = PF_R | PF_W;
	ph[0].p_offset = PONR_PAGE;
	ph[0].p_vaddr = PONR_ADDR;
	ph[0].p_filesz = PONR_PAGE / 2;
	ph[0].p_memsz = PONR_PAGE;
	ph[0].p_align = PONR_PAGE;
	ph[1] = ph[0];
	ph[1].p_flags = PF_R;
	ph[1].p_filesz = PONR_PAGE;
	ph[1].p_vaddr = 0xfff0000000000000UL;
	snprintf(forged_arg, sizeof(forged_arg), "forged-%s", arg);
	snprintf(forged_path, sizeof(forged_path), "/forged/%s", arg);
	ponr_fill(file + PONR_PAGE, forged_arg, forged_path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (fd < 0)
		return -1;
	if (write(fd, file, sizeof(file)) != (ssize_t)sizeof(file)) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* The child's exec, from the thread that runs it (the leader, or a second one). */
static void *ponr_exec(void *args)
{
	static char *const no_env[] = { NULL };
	char **argv = args;
	char *page = mmap((void *)PONR_ADDR, PONR_PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (page != (char *)PONR_ADDR)
		_exit(126);
	ponr_fill(page, argv[1], argv[0]);
	execve(page + 0x200, (char *const *)page, no_env);
	_exit(127);
}

static int cmd_ponr(int argc, char **argv)
{
	pthread_t thread;
	pid_t pid;
	int status;

	if (argc < 2 || strlen(argv[0]) >= PONR_PAGE - 0x200 || strlen(argv[1]) >= 0x80)
		return 2;
	if (ponr_write_elf(argv[0], argv[1])) {
		perror(argv[0]);
		return 1;
	}
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		/* "ponr FILE ARG thread": exec from a second thread (de_thread() first). */
		if (argc > 2 && !strcmp(argv[2], "thread")) {
			if (pthread_create(&thread, NULL, ponr_exec, argv))
				_exit(125);
			for (;;)
				pause();
		}
		ponr_exec(argv);
	}
	if (waitpid(pid, &status, 0) != pid)
		return 1;
	if (WIFSIGNALED(status))
		printf("signal %d\n", WTERMSIG(status));
	else
		printf("exit %d\n", WEXITSTATUS(status));
	return 0;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} commands[] = {
		{ "exec", cmd_exec },
		{ "argc0", cmd_argc0 },
		{ "exec-edge", cmd_exec_edge },
		{ "execveat-fd", cmd_execveat_fd },
		{ "memfd", cmd_memfd },
		{ "thread", cmd_thread },
		{ "thread-flood", cmd_thread_flood },
		{ "storm", cmd_storm },
		{ "leader-exit", cmd_leader_exit },
		{ "reuse-pid", cmd_reuse_pid },
		{ "tamper", cmd_tamper },
		{ "argv-dump", cmd_argv_dump },
		{ "rename-exec", cmd_rename_exec },
		{ "group-exit", cmd_group_exit },
		{ "ponr", cmd_ponr },
	};
	const char *mark = getenv("EW_MARK");
	size_t i;
	int a;

	for (a = 2; mark && a < argc; a++)
		argv[a] = substitute_mark(argv[a], mark);
	if (argc < 2) {
		fprintf(stderr, "usage: ewtest COMMAND ARGS... (see the source)\n");
		return 2;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 2, argv + 2);
	fprintf(stderr, "ewtest: unknown command %s\n", argv[1]);
	return 2;
}
