// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for src/cgroup.c. cgroup_container_id() against the cgroup
 * paths of real runtimes: docker with the systemd and the cgroupfs driver,
 * containerd's CRI plugin and cri-o under kubepods (systemd and cgroupfs),
 * podman (rootful and rootless), nested cgroups below a container (the
 * innermost id wins), and what must not match: the conmon monitor scopes of
 * cri-o and podman, 63 or 65 hex digits, upper case, non-hex, "/", "" and
 * NULL; the output buffer is exactly CGROUP_CONTAINER_ID_MAX + 1 bytes.
 *
 * Then the id -> path cache, against a temporary directory tree standing
 * in for the cgroup2 mount (a cgroup id is the inode number of its
 * directory): every directory resolves to its path below the root ("/" for
 * the root) and its container id, files and symlinks do not, unknown ids
 * rescan at most once a second, and lookups use the boot-time clock values
 * the reader passes. Each cache scenario runs in a child process, so a
 * sanitizer abort fails that test alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ftw.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cgroup.h"

#define NS 1000000000LL
#define H1 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define H2 "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
#define H63 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde"
#define POD_UID "1f2e3d4c_5b6a_7980_a1b2_c3d4e5f60718"

/* cgroup_container_id into an exactly-sized heap buffer (ASan sees overruns). */
static bool container_id(const char *path, char *copy_out)
{
	char *out = malloc(CGROUP_CONTAINER_ID_MAX + 1);
	bool found;

	assert_non_null(out);
	memset(out, 'Z', CGROUP_CONTAINER_ID_MAX + 1);
	found = cgroup_container_id(path, out);
	if (found)
		memcpy(copy_out, out, CGROUP_CONTAINER_ID_MAX + 1);
	free(out);
	return found;
}

static void check_id(const char *path, const char *want)
{
	char got[CGROUP_CONTAINER_ID_MAX + 1];

	if (!container_id(path, got)) {
		if (want)
			fail_msg("no container id in [%s], want %s", path, want);
		return;
	}
	if (!want)
		fail_msg("container id %.*s in [%s], want none", CGROUP_CONTAINER_ID_MAX, got,
			 path);
	if (got[CGROUP_CONTAINER_ID_MAX] != '\0')
		fail_msg("id for [%s] is not NUL-terminated", path);
	if (strcmp(got, want))
		fail_msg("id %s in [%s], want %s", got, path, want);
}

static void test_docker(void **state)
{
	(void)state;
	/* systemd cgroup driver */
	check_id("/system.slice/docker-" H1 ".scope", H1);
	/* cgroupfs driver */
	check_id("/docker/" H1, H1);
	check_id("/docker/" H2 "/", H2);
	/* Without the leading slash too. */
	check_id("docker-" H1 ".scope", H1);
	check_id(H1, H1);
}

static void test_kubernetes(void **state)
{
	(void)state;
	/* containerd CRI, systemd driver */
	check_id("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" POD_UID
		 ".slice/cri-containerd-" H1 ".scope",
		 H1);
	check_id("/kubepods.slice/kubepods-pod" POD_UID ".slice/cri-containerd-" H2 ".scope", H2);
	/* cgroupfs driver */
	check_id("/kubepods/burstable/pod1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718/" H1, H1);
	check_id("/kubepods/besteffort/pod1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718/" H2, H2);
	/* cri-o */
	check_id("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" POD_UID
		 ".slice/crio-" H1 ".scope",
		 H1);
	/* The pod itself is not a container. */
	check_id("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" POD_UID ".slice",
		 NULL);
}

static void test_podman(void **state)
{
	(void)state;
	check_id("/machine.slice/libpod-" H1 ".scope", H1);
	/* rootless */
	check_id("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" H2 ".scope",
		 H2);
	check_id("/machine.slice/libpod-" H1 ".scope/container", H1);
}

/* conmon, the monitor process of cri-o and podman, is not the container. */
static void test_conmon_is_not_a_container(void **state)
{
	(void)state;
	check_id("/system.slice/crio-conmon-" H1 ".scope", NULL);
	check_id("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" POD_UID
		 ".slice/crio-conmon-" H1 ".scope",
		 NULL);
	check_id("/machine.slice/libpod-conmon-" H1 ".scope", NULL);
	check_id("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-conmon-" H2
		 ".scope",
		 NULL);
}

static void test_nested(void **state)
{
	(void)state;
	/* Processes in a cgroup below the container's. */
	check_id("/system.slice/docker-" H1 ".scope/init.scope", H1);
	check_id("/docker/" H1 "/sub/deeper", H1);
	check_id("/kubepods/burstable/pod" POD_UID "/" H1 "/init.scope", H1);
	/* A container in a container: the innermost. */
	check_id("/docker/" H1 "/docker/" H2, H2);
	check_id("/system.slice/docker-" H1 ".scope/docker/" H2 "/init.scope", H2);
	check_id("/docker/" H2 "/system.slice/crio-conmon-" H1 ".scope", H2);
}

static void test_rejected(void **state)
{
	char out[CGROUP_CONTAINER_ID_MAX + 1];

	(void)state;
	check_id("/system.slice/docker-" H63 ".scope", NULL);
	check_id("/docker/" H63, NULL);
	check_id("/system.slice/docker-" H1 "0.scope", NULL);
	check_id("/docker/" H1 "0", NULL);
	check_id("/docker/0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", NULL);
	check_id("/docker/0123456789abcdeg0123456789abcdef0123456789abcdef0123456789abcdef", NULL);
	check_id("/docker/-123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", NULL);
	check_id("/system.slice/docker-" H1 ".scopex", NULL);
	check_id("/system.slice/docker-" H1 ".service", NULL);
	check_id("/system.slice/podman-" H1 ".scope", NULL);
	check_id("/system.slice/docker-.scope", NULL);
	check_id("/system.slice/docker.service", NULL);
	check_id("/user.slice/user-1000.slice/session-2.scope", NULL);
	check_id("/init.scope", NULL);
	check_id("/.scope", NULL);
	check_id("/", NULL);
	check_id("//", NULL);
	check_id("", NULL);
	assert_false(cgroup_container_id(NULL, out));
}

/* ---- the cache, on a directory tree standing in for the cgroup2 root ---- */

static char root[64];

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void make_dir(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s%s", root, rel);
	if (mkdir(path, 0755))
		fail_msg("mkdir %s", path);
}

static int setup_tree(void **state)
{
	char path[512];
	FILE *f;

	(void)state;
	snprintf(root, sizeof(root), "/tmp/execwatch-cgroup-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	make_dir("/system.slice");
	make_dir("/system.slice/docker-" H1 ".scope");
	make_dir("/system.slice/docker-" H1 ".scope/init.scope");
	make_dir("/system.slice/cron.service");
	make_dir("/system.slice/crio-conmon-" H2 ".scope");
	make_dir("/kubepods");
	make_dir("/kubepods/burstable");
	make_dir("/kubepods/burstable/pod" POD_UID);
	make_dir("/kubepods/burstable/pod" POD_UID "/" H2);
	make_dir("/my group");
	snprintf(path, sizeof(path), "%s/cgroup.procs", root);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fclose(f);
	snprintf(path, sizeof(path), "%s/link", root);
	if (symlink("system.slice", path))
		return -1;
	return 0;
}

static int remove_tree(void **state)
{
	(void)state;
	return nftw(root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static uint64_t inode_of(const char *rel)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	if (lstat(path, &st))
		return 0;
	return (uint64_t)st.st_ino;
}

/*
 * A cache scenario returns NULL or what went wrong. It runs in a child, so
 * it reports with CHECK rather than cmocka's asserts.
 */
static char why[1024];

#define CHECK(cond, ...)                                         \
	do {                                                     \
		if (!(cond)) {                                   \
			snprintf(why, sizeof(why), __VA_ARGS__); \
			return why;                              \
		}                                                \
	} while (0)

typedef const char *(*scenario_fn)(void);

static void run_in_child(scenario_fn fn)
{
	char msg[sizeof(why)] = "";
	ssize_t n, got = 0;
	int fds[2], status;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		const char *err;

		close(fds[0]);
		err = fn();
		if (err && write(fds[1], err, strlen(err)) < 0)
			_exit(3);
		_exit(0);
	}
	close(fds[1]);
	while ((n = read(fds[0], msg + got, sizeof(msg) - 1 - (size_t)got)) > 0)
		got += n;
	close(fds[0]);
	msg[got] = '\0';
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("the scenario died (status 0x%x): see the report above", status);
	if (got)
		fail_msg("%s", msg);
}

/* Look id up at now_ns: want_path NULL means "must not resolve". */
static const char *expect(struct cgroup_cache *c, uint64_t id, int64_t now_ns,
			  const char *want_path, const char *want_container)
{
	const char *path = "unset", *container = "unset";
	bool found = cgroup_cache__lookup(c, id, now_ns, &path, &container);

	if (!want_path) {
		CHECK(!found && !path && !container,
		      "id %llu at %lld: resolved to [%s] [%s], want nothing",
		      (unsigned long long)id, (long long)now_ns, path ? path : "(null)",
		      container ? container : "(null)");
		return NULL;
	}
	CHECK(found, "id %llu (%s) at %lld: not resolved", (unsigned long long)id, want_path,
	      (long long)now_ns);
	CHECK(path && !strcmp(path, want_path), "id %llu: path [%s], want [%s]",
	      (unsigned long long)id, path ? path : "(null)", want_path);
	if (want_container)
		CHECK(container && !strcmp(container, want_container),
		      "%s: container [%s], want [%s]", want_path, container ? container : "(null)",
		      want_container);
	else
		CHECK(!container, "%s: container [%s], want none", want_path, container);
	return NULL;
}

#define EXPECT(...)                                     \
	do {                                            \
		const char *err_ = expect(__VA_ARGS__); \
		if (err_)                               \
			return err_;                    \
	} while (0)

/* The reader passes record boot times: seconds to days after boot. */
static const char *scenario_first_lookup(void)
{
	static const int64_t times[] = { 5 * NS, 1, 0, 86400 * NS };
	size_t i;

	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		struct cgroup_cache *c = NULL;
		const char *err;

		CHECK(cgroup_cache__new(&c, root) == 0 && c, "cgroup_cache__new(%s) failed", root);
		err = expect(c, inode_of("/system.slice"), times[i], "/system.slice", NULL);
		cgroup_cache__free(c);
		if (err)
			return err;
	}
	return NULL;
}

static void test_cache_first_lookup(void **state)
{
	(void)state;
	run_in_child(scenario_first_lookup);
}

static const char *scenario_paths(void)
{
	struct cgroup_cache *c = NULL;
	int64_t t = 5 * NS;

	CHECK(cgroup_cache__new(&c, root) == 0 && c, "cgroup_cache__new(%s) failed", root);
	EXPECT(c, inode_of("/system.slice/docker-" H1 ".scope"), t,
	       "/system.slice/docker-" H1 ".scope", H1);
	EXPECT(c, inode_of(""), t, "/", NULL);
	EXPECT(c, inode_of("/system.slice"), t, "/system.slice", NULL);
	EXPECT(c, inode_of("/system.slice/docker-" H1 ".scope/init.scope"), t,
	       "/system.slice/docker-" H1 ".scope/init.scope", H1);
	EXPECT(c, inode_of("/system.slice/cron.service"), t, "/system.slice/cron.service", NULL);
	EXPECT(c, inode_of("/system.slice/crio-conmon-" H2 ".scope"), t,
	       "/system.slice/crio-conmon-" H2 ".scope", NULL);
	EXPECT(c, inode_of("/kubepods/burstable/pod" POD_UID), t, "/kubepods/burstable/pod" POD_UID,
	       NULL);
	EXPECT(c, inode_of("/kubepods/burstable/pod" POD_UID "/" H2), t,
	       "/kubepods/burstable/pod" POD_UID "/" H2, H2);
	EXPECT(c, inode_of("/my group"), t, "/my group", NULL);
	/* The same id again: the same answer. */
	EXPECT(c, inode_of("/system.slice/docker-" H1 ".scope"), t + 1,
	       "/system.slice/docker-" H1 ".scope", H1);
	cgroup_cache__free(c);
	return NULL;
}

static void test_cache_paths(void **state)
{
	(void)state;
	run_in_child(scenario_paths);
}

/* Files, symlinks, id 0 and unknown ids resolve to nothing. */
static const char *scenario_unresolved(void)
{
	struct cgroup_cache *c = NULL;
	const char *path = "unset", *container = "unset";
	int64_t t = 5 * NS;

	CHECK(cgroup_cache__new(&c, root) == 0 && c, "cgroup_cache__new(%s) failed", root);
	EXPECT(c, inode_of("/system.slice"), t, "/system.slice", NULL);
	EXPECT(c, inode_of("/cgroup.procs"), t + 2 * NS, NULL, NULL);
	EXPECT(c, inode_of("/link"), t + 4 * NS, NULL, NULL);
	EXPECT(c, 0, t + 6 * NS, NULL, NULL);
	EXPECT(c, UINT64_MAX, t + 8 * NS, NULL, NULL);
	/* No cache (no cgroup2 mount): nothing, and no crash. */
	CHECK(!cgroup_cache__lookup(NULL, 1, t, &path, &container) && !path && !container,
	      "lookup without a cache resolved something");
	cgroup_cache__free(c);
	cgroup_cache__free(NULL);
	return NULL;
}

static void test_cache_unresolved(void **state)
{
	(void)state;
	run_in_child(scenario_unresolved);
}

/* A cgroup created after the last walk is found by a rescan, at most once a second. */
static const char *scenario_rescan(void)
{
	struct cgroup_cache *c = NULL;
	int64_t t = 100 * NS;
	uint64_t id;
	char path[512];

	CHECK(cgroup_cache__new(&c, root) == 0 && c, "cgroup_cache__new(%s) failed", root);
	EXPECT(c, inode_of("/system.slice"), t, "/system.slice", NULL);
	snprintf(path, sizeof(path), "%s/system.slice/docker-" H2 ".scope", root);
	CHECK(mkdir(path, 0755) == 0, "mkdir %s", path);
	id = inode_of("/system.slice/docker-" H2 ".scope");
	/* Within a second of the walk: not walked again. */
	EXPECT(c, id, t, NULL, NULL);
	EXPECT(c, id, t + NS / 2, NULL, NULL);
	EXPECT(c, id, t + NS - 1, NULL, NULL);
	/* A second later it is. */
	EXPECT(c, id, t + NS, "/system.slice/docker-" H2 ".scope", H2);
	/* A hit needs no walk, however soon. */
	EXPECT(c, inode_of("/my group"), t + NS, "/my group", NULL);
	/* The walk for an unknown id starts the clock again. */
	EXPECT(c, UINT64_MAX, t + 3 * NS, NULL, NULL);
	snprintf(path, sizeof(path), "%s/late", root);
	CHECK(mkdir(path, 0755) == 0, "mkdir %s", path);
	EXPECT(c, inode_of("/late"), t + 3 * NS + NS / 2, NULL, NULL);
	EXPECT(c, inode_of("/late"), t + 4 * NS, "/late", NULL);
	cgroup_cache__free(c);
	return NULL;
}

static void test_cache_rescan(void **state)
{
	(void)state;
	run_in_child(scenario_rescan);
}

/* "/sys/fs/cgroup/" names the same mount as "/sys/fs/cgroup". */
static const char *scenario_root_trailing_slash(void)
{
	struct cgroup_cache *c = NULL;
	char slashed[sizeof(root) + 1];

	snprintf(slashed, sizeof(slashed), "%s/", root);
	CHECK(cgroup_cache__new(&c, slashed) == 0 && c, "cgroup_cache__new(%s) failed", slashed);
	EXPECT(c, inode_of("/system.slice/docker-" H1 ".scope"), 5 * NS,
	       "/system.slice/docker-" H1 ".scope", H1);
	EXPECT(c, inode_of(""), 5 * NS, "/", NULL);
	cgroup_cache__free(c);
	return NULL;
}

static void test_cache_root_trailing_slash(void **state)
{
	(void)state;
	run_in_child(scenario_root_trailing_slash);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docker),
		cmocka_unit_test(test_kubernetes),
		cmocka_unit_test(test_podman),
		cmocka_unit_test(test_conmon_is_not_a_container),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_rejected),
		cmocka_unit_test(test_cache_first_lookup),
		cmocka_unit_test(test_cache_paths),
		cmocka_unit_test(test_cache_unresolved),
		cmocka_unit_test(test_cache_rescan),
		cmocka_unit_test(test_cache_root_trailing_slash),
	};

	return cmocka_run_group_tests_name("cgroup", tests, setup_tree, remove_tree);
}
