#!/bin/sh
# make demo: a demo database of synthetic advisers and young people whose
# dates make several duties due today, what is due in it, then kitd in the
# foreground delivering the reminders through the file adapter into
# demo/outbox. Ctrl-C stops it (DEMO_SECONDS=N stops it after N seconds).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
demo="$top/demo"
bin="${KIT_BIN:-$top/build}"
mkdir -p "$demo"
umask 077
rm -f "$demo/demo.db" "$demo/demo.db-wal" "$demo/demo.db-shm"
rm -rf "$demo/outbox"
# The demo's own configuration: the shipped one with the database and the
# file adapter's folder here, and today's adviser digest due now.
now=$(date +%H:%M)
sed "s|^database = .*|database = \"demo.db\";|
     s|^bank_holidays = .*|bank_holidays = \"$top/config/bank-holidays-england-and-wales.txt\";|
     s|directory = \"/var/lib/keepintouch/outbox\";|directory = \"$demo/outbox\";|
     s|digest_at = \"08:30\";|digest_at = \"$now\";|
     s|working_days_only = true;|working_days_only = false;|" \
    "$top/config/kitd.conf" >"$demo/kitd.conf"
today=$(date +%Y-%m-%d)
ymd() { date -d "$today $1" +%Y-%m-%d; }
cat >"$demo/advisers.csv" <<CSV
code,name,email,phone,role,manager
MG01,Morgan Manager,morgan@example.org,07700 900100,manager,
PA01,Priya Adviser,priya@example.org,07700 900101,adviser,MG01
PA02,Tom Adviser,tom@example.org,07700 900102,adviser,MG01
CSV
cat >"$demo/people.csv" <<CSV
ref,first_name,dob,status,care_start,left_care,adviser,phone,email,sms_consent,email_consent,flags,tracked_from
YP001,Jordan,$(ymd "-18 years +20 days"),eligible,$(ymd "-3 years"),$(ymd "-2 months"),PA01,07700 900201,,yes,no,pathway-plan,$(ymd "-2 years")
YP002,Casey,$(ymd "-20 years -10 days"),former-relevant,,$(ymd "-2 years"),PA01,07700 900202,casey@example.org,yes,yes,,$(ymd "-2 years")
YP003,Riley,$(ymd "-17 years +40 days"),relevant,,$(ymd "-5 months"),PA02,,,no,no,council-accommodation,$(ymd "-1 year")
YP004,Sam,$(ymd "-22 years +25 days"),former-relevant,,$(ymd "-5 years"),PA02,07700 900204,,no,no,support-to-25,$(ymd "-2 years")
YP005,Alex,$(ymd "-16 years -20 days"),looked-after,$(ymd "-2 years"),,PA01,,,no,no,,$(ymd "-1 year")
CSV
cat >"$demo/events.csv" <<CSV
id,ref,kind,date,in_touch,method
D1,YP001,pathway-plan-review,$(ymd "-170 days"),,
D2,YP002,pathway-plan-review,$(ymd "-7 months"),,
D3,YP002,contact,$(ymd "-11 months"),yes,phone
D4,YP003,move,$(ymd "-3 days"),,
D5,YP003,pathway-plan-review,$(ymd "-2 months"),,
D6,YP004,pathway-plan-review,$(ymd "-5 months -20 days"),,
D7,YP005,cic-review,$(ymd "-5 months"),,
D8,YP005,sw-visit,$(ymd "-5 weeks"),yes,visit
D9,YP005,health-assessment,$(ymd "-11 months"),,
D10,YP001,cic-review,$(ymd "-4 months"),,
D11,YP001,sw-visit,$(ymd "-10 weeks"),yes,visit
D12,YP001,health-assessment,$(ymd "-8 months"),,
D13,YP001,needs-assessment,$(ymd "-21 months"),,
D14,YP002,contact,$(ymd "-2 years -5 days"),yes,phone
D15,YP004,contact,$(ymd "-2 years +30 days"),yes,text
D16,YP004,visit,$(ymd "-1 year +10 days"),yes,home
CSV
k() { "$bin/kitctl" --config "$demo/kitd.conf" "$@"; }
cd "$demo"
k init
k import advisers.csv people.csv events.csv
echo
echo "== kitctl due (as of $today) =="
k due --within 45
echo
echo "== kitd --check =="
"$bin/kitd" --config "$demo/kitd.conf" --check
echo
echo "== kitd --foreground (Ctrl-C to stop) =="
trap ':' INT
if [ -n "${DEMO_SECONDS:-}" ]; then
    timeout -s INT "$DEMO_SECONDS" "$bin/kitd" --foreground --config "$demo/kitd.conf" || true
else
    "$bin/kitd" --foreground --config "$demo/kitd.conf" || true
fi
trap - INT
echo
echo "== what kitd delivered (demo/outbox) =="
ls -l "$demo/outbox"
first=$(ls "$demo/outbox" | grep '\.eml$' | head -n 1)
if [ -n "$first" ]; then
    echo
    echo "== $first =="
    cat "$demo/outbox/$first" | tr -d '\r'
fi
echo
k outbox list
echo
echo "The demo lives in $demo; try: $bin/kitctl --config $demo/kitd.conf person show YP003"
