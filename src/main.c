// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * execwatch: trace every program execution on this machine.
 *
 * main only wires the modules together: cli (argv -> config), loader (BPF
 * skeleton), reader (ring buffer -> output). The stop flag is the program's
 * one global, because a signal handler can reach nothing else.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <linux/capability.h>

#include "caps.h"
#include "check.h"
#include "cli.h"
#include "config.h"
#include "loader.h"
#include "metrics_file.h"
#include "reader.h"

static volatile sig_atomic_t stop_requested;
/*
 * SIGHUP: reload the --policy file (issue 6) and reopen --output for
 * logrotate (issue 8). Set here, acted on by the reader loop.
 */
static volatile sig_atomic_t reload_requested;

static void on_stop_signal(int signo)
{
	(void)signo;
	stop_requested = 1;
}

static void on_reload_signal(int signo)
{
	(void)signo;
	reload_requested = 1;
}

static int install_signal_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the poll must return EINTR so the loop sees the flag. */
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL))
		return -errno;
	sa.sa_handler = on_reload_signal;
	if (sigaction(SIGHUP, &sa, NULL))
		return -errno;
	/* A closed pipe must surface as EPIPE from write(), not kill us unflushed. */
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL))
		return -errno;
	return 0;
}

/*
 * A closed stdin, stdout or stderr would be reused by the first file we open
 * (a BPF map or link), and our output would go into it. Point closed ones at
 * /dev/null; a closed stdout is an error worth a sentence.
 */
static int check_standard_fds(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			return -EBADF;
		if (fd == 1)
			return -EPIPE;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct loader *loader = NULL;
	struct reader *reader = NULL;
	struct metrics_file *metrics = NULL;
	struct config_args file_args;
	struct config cfg;
	char msg[1024] = "";
	int err;

	switch (config_cli_parse(argc, argv, &cfg, &file_args, stdout, stderr)) {
	case CLI_RUN:
		break;
	case CLI_EXIT_OK:
		return 0;
	default:
		return 2;
	}
	if (cfg.check) {
		err = check_run(stdout);
		config_args_free(&file_args);
		return err;
	}

	err = check_standard_fds();
	if (err) {
		fprintf(stderr, "execwatch: standard output is closed: nowhere to write the "
				"records. Redirect it to a file or a pipe.\n");
		return 1;
	}
	err = install_signal_handlers();
	if (err) {
		fprintf(stderr, "execwatch: cannot install signal handlers: %s\n", strerror(-err));
		return 1;
	}
	err = loader__start(&loader, &cfg, msg, sizeof(msg));
	if (err) {
		fprintf(stderr, "execwatch: %s\n", msg);
		config_args_free(&file_args);
		return 1;
	}
	msg[0] = '\0';
	err = reader__new(&reader, &cfg, loader, msg, sizeof(msg));
	if (err) {
		fprintf(stderr, "execwatch: %s\n", msg);
		goto out;
	}
	if (cfg.metrics_path) {
		err = metrics_file__new(&metrics, &cfg, loader, reader->syslog, msg, sizeof(msg));
		if (err) {
			fprintf(stderr, "execwatch: %s\n", msg);
			goto out;
		}
		reader->metrics = metrics;
	}
	reader->reload = &reload_requested;
	/*
	 * Everything that needs CAP_SYS_ADMIN is done: mounting tracefs,
	 * perf_event_open() on kernels with perf_event_paranoid > 2 (Debian's
	 * default), BPF_ENABLE_STATS. Parsing what traced programs send is
	 * done without it, so a flaw there cannot use it.
	 */
	if (caps_effective(CAP_SYS_ADMIN)) {
		err = caps_drop(CAP_SYS_ADMIN);
		if (err) {
			fprintf(stderr, "execwatch: cannot drop CAP_SYS_ADMIN: %s\n",
				strerror(-err));
			goto out;
		}
	}
	err = reader__run(reader, &stop_requested);
	if (err && reader->out.error)
		fprintf(stderr, "execwatch: cannot write the output: %s; stopped.\n",
			strerror(-err));
	else if (err)
		fprintf(stderr, "execwatch: stopped: %s\n", strerror(-err));
out:
	reader__free(reader);
	metrics_file__free(metrics);
	loader__destroy(loader);
	config_args_free(&file_args);
	return err ? 1 : 0;
}
