/* report_fx.c: the report tests' configuration (report_fx.h). */
#include "tests/lib/report_fx.h"

#include "tests/lib/helpers.h"

#include <stdio.h>
#include <stdlib.h>

/* The shipped keep-in-touch rules (17-21, 22-25) and pathway plan review,
 * but the review chain starts at the first recorded review, not at 16, so
 * only the reviews below make review duties. */
const char report_fx_rules[] =
    "event_kinds = ( { name = \"contact\"; in_touch = true; },\n"
    "  { name = \"visit\"; in_touch = true; },\n"
    "  { name = \"pathway-plan-review\"; } );\n"
    "rules = (\n"
    "  { name = \"keep-in-touch\"; title = \"Keep in touch (birthday "
    "contact)\";\n"
    "    source = \"t\"; applies_to = [ \"relevant\", \"former-relevant\" "
    "];\n"
    "    min_age = 17; max_age = 21; anchor = \"birthday\";\n"
    "    window_before = \"3 months\"; window_after = \"1 month\";\n"
    "    met_by = [ \"contact\", \"visit\" ]; in_touch_only = true; },\n"
    "  { name = \"keep-in-touch-21-25\"; title = \"Keep in touch, 21 to "
    "25\";\n"
    "    source = \"t\"; applies_to = [ \"former-relevant\" ];\n"
    "    min_age = 22; max_age = 25; anchor = \"birthday\";\n"
    "    window_before = \"3 months\"; window_after = \"1 month\";\n"
    "    met_by = [ \"contact\", \"visit\" ]; in_touch_only = true; },\n"
    "  { name = \"pathway-plan-review\"; title = \"Pathway plan review\";\n"
    "    source = \"t\"; applies_to = [ \"eligible\", \"relevant\",\n"
    "    \"former-relevant\" ]; max_age = 20;\n"
    "    anchor = \"event:pathway-plan-review\"; interval = \"6 months\";\n"
    "    window_before = \"1 month\"; met_by = [ \"pathway-plan-review\" ]; "
    "}\n"
    ");\n";

int
report_fx_conf(const char *dir, const char *db, char *path, size_t len)
{
    char *text;

    snprintf(path, len, "%s/report.conf", dir);
    if (asprintf(&text,
                 "database = \"%s\";\ntimezone = \"Europe/London\";\n"
                 "bank_holidays = \"%s/config/bank-holidays-england-and-"
                 "wales.txt\";\n%s",
                 db, th_src(), report_fx_rules) < 0)
        return -1;
    free(th_write(dir, "report.conf", text));
    free(text);
    return 0;
}
