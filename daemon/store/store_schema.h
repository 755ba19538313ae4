/* store_schema.h: the schema as numbered migrations (PRAGMA user_version). */
#ifndef KIT_STORE_SCHEMA_H
#define KIT_STORE_SCHEMA_H

#define STORE_SCHEMA_VERSION 11

/* PRAGMA application_id of a keepintouch database ("kit1"), set by
 * kitctl init, so another program's SQLite file is never mistaken for
 * ours. Databases made before it have 0 there (store.c). */
#define STORE_APPLICATION_ID 0x6b697431

/* store_migrations[v] takes a database from version v to v + 1. */
extern const char *const store_migrations[STORE_SCHEMA_VERSION];

#endif
