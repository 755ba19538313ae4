/* store_schema.h: the schema as numbered migrations (PRAGMA user_version). */
#ifndef KIT_STORE_SCHEMA_H
#define KIT_STORE_SCHEMA_H

#define STORE_SCHEMA_VERSION 6

/* store_migrations[v] takes a database from version v to v + 1. */
extern const char *const store_migrations[STORE_SCHEMA_VERSION];

#endif
