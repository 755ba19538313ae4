/*
 * fuzz.h: what the libFuzzer targets in fuzz/ share (see fuzz/README.md).
 * Each target is one file with LLVMFuzzerTestOneInput; libFuzzer supplies
 * main(), so kitd's and kitctl's are never linked.
 */
#ifndef KIT_FUZZ_H
#define KIT_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* The fixed day the targets take as today, so nothing depends on the
 * date they run (records check dates against it, the clock starts on
 * it). */
#define FUZZ_TODAY "2026-06-15"

/* libFuzzer's entry points. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Quiet logs, Europe/London, the clock at FUZZ_TODAY 10:00. */
void fuzz_setup(void);
/* This process's scratch folder, kit-fuzz-PID-XXXXXX on /dev/shm when
 * there is one (for speed), made on first use and removed with its files
 * at exit; those of targets that died are removed on first use too. */
const char *fuzz_dir(void);
/* Writes size bytes to fuzz_dir()/name (mode 0600); the path, malloc'd
 * (exits if it cannot: a target that cannot write tests nothing). */
char *fuzz_write(const char *name, const void *data, size_t size);
/* data as a NUL-terminated string, malloc'd (embedded NULs stay). */
char *fuzz_text(const uint8_t *data, size_t size);
/* A file of the source tree (FUZZ_SRC, set by the Makefile), malloc'd. */
char *fuzz_src(const char *rel);

#endif
