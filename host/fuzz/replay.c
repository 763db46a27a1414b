// SPDX-License-Identifier: GPL-2.0
/*
 * Runs inputs through LLVMFuzzerTestOneInput() without libFuzzer, so that
 * make host-check replays the fuzzer's corpus with gcc alone: every file
 * named, and every file in each directory named (in name order), each in
 * a child process. A mismatch aborts that child (the fuzzer's own message
 * on stderr says what differed); the input is named as failed, the others
 * still run. Exit 1 when any failed.
 */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static unsigned long passed, failed;

/*
 * One input in a child of its own: every input starts from a fresh module
 * load, whatever ran before, and a mismatch (an abort) fails that input
 * alone; the rest still run.
 */
static void replay_file(const char *path)
{
	static unsigned char buf[1 << 20];
	int status;
	size_t n;
	pid_t pid;
	FILE *f;

	f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (!pid) {
		LLVMFuzzerTestOneInput(buf, n);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("waitpid");
		exit(2);
	}
	if (WIFEXITED(status) && !WEXITSTATUS(status)) {
		passed++;
		return;
	}
	failed++;
	fprintf(stderr, "replay: FAILED %s\n", path);
	printf("not ok %s\n", path);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void replay_dir(const char *dir)
{
	char **names = NULL, path[4096];
	size_t nr = 0, i;
	struct dirent *e;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		perror(dir);
		exit(2);
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		names = realloc(names, (nr + 1) * sizeof(*names));
		if (!names)
			abort();
		names[nr++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, nr, sizeof(*names), by_name);
	for (i = 0; i < nr; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		replay_file(path);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	struct stat st;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st)) {
			perror(argv[i]);
			return 2;
		}
		if (S_ISDIR(st.st_mode))
			replay_dir(argv[i]);
		else
			replay_file(argv[i]);
	}
	printf("fuzz replay: %lu passed, %lu failed\n", passed, failed);
	return failed ? 1 : 0;
}
