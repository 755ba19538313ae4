/* respond_priv.h: shared by respond.c and respond_checkin.c only. */
#ifndef KIT_RESPOND_PRIV_H
#define KIT_RESPOND_PRIV_H

#include "outbox/respond.h"
#include "text/template.h"

/* Everything a reply template may say. */
#define RESPOND_VARS 9
struct respond_vars {
    struct template_var v[RESPOND_VARS];
    char adv_first[STORE_NAME_MAX + 1], received[64], day[DATE_BUFSZ];
};

void respond_vars_init(struct respond_vars *rv, const struct person *p,
                       const struct adviser *a, const struct reply_row *r);
/* Alerts adviser a (audience aud) about reply_id: 1 if queued, 0 if a
 * has no address at all, -1 error. */
int respond_alert(struct store *st, const struct conf *c,
                  const struct adviser *a, enum audience aud,
                  const struct respond_vars *rv, int64_t reply_id,
                  int64_t person_id, struct kit_error *err);
/* The adviser, or for someone with none the duty inbox or every manager:
 * 1 if anyone was told, 0 if nobody could be, -1 error. */
int respond_alert_all(struct store *st, const struct conf *c,
                      const struct adviser *a, const struct respond_vars *rv,
                      int64_t reply_id, int64_t person_id,
                      struct kit_error *err);
/* One text in template t back to the number that wrote, once per key:
 * 1 if queued. */
int respond_ack(struct store *st, const struct conf *c, const struct person *p,
                const struct reply_row *r, enum tmpl t, const char *key,
                const struct respond_vars *rv, struct kit_error *err);
/* Records r as an event of kind (an index of c->kinds). */
int respond_event(struct store *st, const struct conf *c, int kind,
                  const struct reply_row *r, int64_t person_id,
                  struct kit_error *err);
/* respond_checkin.c: the check-in's keywords and answers. 1 if acted on,
 * 0 if r is to be treated as any other text (an answer from someone not
 * opted in), -1 error. */
int respond_checkin(struct store *st, const struct conf *c,
                    const struct reply_row *r, int64_t reply_id,
                    const int64_t *ids, int n, const struct adviser *a,
                    struct respond_vars *rv, struct respond_result *out,
                    struct kit_error *err);

#endif
