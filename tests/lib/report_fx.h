/*
 * report_fx.h: the configuration the report tests share
 * (tests/unit/test_report_counts.c, tests/integration/test_report.c).
 */
#ifndef KIT_TEST_REPORT_FX_H
#define KIT_TEST_REPORT_FX_H

#include <stddef.h>

/* Event kinds and rules, without database or timezone. */
extern const char report_fx_rules[];

/* Writes dir/report.conf: database db, London time, the shipped bank
 * holidays and report_fx_rules; its path into path. -1 on no memory. */
int report_fx_conf(const char *dir, const char *db, char *path, size_t len);

#endif
