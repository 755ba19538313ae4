# gen-people.awk: synthetic, deterministic CSVs for bench/plan-scale.
#
#   awk -v n=100000 -v dir=/tmp/x -v asof=2026-06-01 -f bench/gen-people.awk
#
# Writes dir/advisers.csv, dir/people.csv and dir/events.csv. The random
# numbers come from our own Park-Miller generator (seed 20260601), not
# awk's rand(), so mawk, gawk and busybox awk give the same files.
#
# Statuses follow the person's age on the as-of date, as the law would:
# 15 looked-after; 16-17 eligible (in care) or relevant (left care after
# the 16th birthday); 18-24 former-relevant (left care between the 16th and
# 18th birthdays). Care began at least 13 weeks before the 16th birthday.

# Days since 1970-01-01 from a civil date (H. Hinnant's days_from_civil).
function days(y, m, d,    era, yoe, doy, doe) {
    y -= (m <= 2)
    era = int((y >= 0 ? y : y - 399) / 400)
    yoe = y - era * 400
    doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
    doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
    return era * 146097 + doe - 719468
}

# "YYYY-MM-DD" from days since 1970-01-01 (civil_from_days).
function ymd(z,    era, doe, yoe, y, doy, mp, d, m) {
    z += 719468
    era = int((z >= 0 ? z : z - 146096) / 146097)
    doe = z - era * 146097
    yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
    y = yoe + era * 400
    doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
    mp = int((5 * doy + 2) / 153)
    d = doy - int((153 * mp + 2) / 5) + 1
    m = mp + (mp < 10 ? 3 : -9)
    y += (m <= 2)
    return sprintf("%04d-%02d-%02d", y, m, d)
}

# The day a person born on day dob turns age a; 29 Feb falls on 28 Feb.
function birthday(dob, a,    s, y, m, d) {
    s = ymd(dob)
    y = substr(s, 1, 4) + a
    m = substr(s, 6, 2) + 0
    d = substr(s, 9, 2) + 0
    if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        d = 28
    return days(y, m, d)
}

# Uniform in [0, 1): Park-Miller minimal standard (exact in doubles).
function rnd() {
    seed = (seed * 48271) % 2147483647
    return (seed - 1) / 2147483646
}

# Uniform integer in [lo, hi].
function between(lo, hi) {
    return lo + int(rnd() * (hi - lo + 1))
}

function yn(p) {
    return rnd() < p ? "yes" : "no"
}

# The outcome columns come from a second generator (seed 20260602) so the
# first one's sequence, and so every date, status and kind plan-scale
# measures, is the same as before they were added.
function rnd2() {
    seed2 = (seed2 * 48271) % 2147483647
    return (seed2 - 1) / 2147483646
}

# A code from a weighted list "CODE:WEIGHT ..." (weights in per cent).
function pick(list,    t, n, i, r, kv) {
    n = split(list, t, " ")
    r = rnd2() * 100
    for (i = 1; i < n; i++) {
        split(t[i], kv, ":")
        r -= kv[2]
        if (r < 0)
            return kv[1]
    }
    split(t[n], kv, ":")
    return kv[1]
}

# The outcome of a contact or visit (in_touch,activity,accommodation), in
# roughly the shares the Department publishes for care leavers aged 19 to
# 21: about half in education, employment or training, nine in ten
# suitably housed. No foyer (T) for anyone under 20 and no former foster
# carers (Z) under 19 on the as-of date, so the OC3 rules 347 and 3001
# hold for the 2026 return; a code other than YES leaves activity and
# accommodation blank (the export writes 0).
function outcome(yes, age,    code, act, acc) {
    if (!yes) {
        code = pick("NO:84 REFU:8 NREQ:6 RHOM:1.5 DIED:0.5")
        return code ",,"
    }
    act = pick("F1:6 P1:1 F2:15 P2:3 F4:4 P4:1 F5:14 P5:7 G4:9 G5:30 G6:10")
    acc = pick("U:34 D:16 B:12 Z:10 E:7 T:5 C:3 K:3 X:2 S:1 V:1 W:1 R:1 G:1 Y:3")
    if ((acc == "T" && age < 20) || (acc == "Z" && age < 19))
        acc = "D"
    if (acc == "S" || acc == "X")
        acc = acc "2"
    else
        acc = acc (rnd2() < 0.88 ? "1" : "2")
    return "YES," act "," acc
}

function phone(i) {
    return sprintf("07700 9%05d", i % 100000)
}

BEGIN {
    seed = 20260601
    seed2 = 20260602
    if (n == "")
        n = 100000
    if (asof == "")
        asof = "2026-06-01"
    n += 0
    today = days(substr(asof, 1, 4) + 0, substr(asof, 6, 2) + 0,
                 substr(asof, 9, 2) + 0)
    nfirst = split("Aaliyah Adam Amelia Ben Bethany Callum Chloe Daniel " \
                   "Ellie Ethan Faith Finley Grace Harvey Holly Isaac Jade " \
                   "Jayden Kacey Kai Leah Liam Maisie Mason Mia Noah Olivia " \
                   "Oscar Paige Reece Ruby Ryan Sienna Tyler Zara Zoe", first)
    nlast = split("Ahmed Brown Clarke Davies Evans Green Hughes Jones Khan " \
                  "Lewis Morris Patel Roberts Smith Taylor Walker Wilson " \
                  "Wright", last)
    nkind = split("contact contact contact contact visit visit " \
                  "pathway-plan-review pathway-plan-review needs-assessment " \
                  "contact", kind)
    nmeth = split("phone text email in-person video", meth)

    # Codes are at least 5 (advisers) and 7 (people, events) digits wide.
    nadv = int(n / 25)
    if (nadv < 1)
        nadv = 1
    nmgr = int((nadv + 7) / 8)
    wa = length(nadv "") > 5 ? length(nadv "") : 5
    wp = length(n "") > 7 ? length(n "") : 7
    we = length(int(n * 4) "") > 7 ? length(int(n * 4) "") : 7

    af = dir "/advisers.csv"
    pf = dir "/people.csv"
    ef = dir "/events.csv"
    print "code,name,email,phone,role,manager" > af
    for (i = 1; i <= nmgr; i++)
        printf "TM%0" wa "d,%s %s,tm%d@council.example.org,%s,manager,\n",
            i, first[between(1, nfirst)], last[between(1, nlast)], i,
            phone(90000 + i) > af
    for (i = 1; i <= nadv; i++)
        printf "PA%0" wa "d,%s %s,pa%d@council.example.org,%s,adviser," \
            "TM%0" wa "d\n", i, first[between(1, nfirst)],
            last[between(1, nlast)], i, phone(80000 + i),
            1 + int((i - 1) / 8) > af
    close(af)

    print "ref,first_name,dob,status,care_start,left_care,adviser,phone," \
          "email,sms_consent,email_consent,flags,sex,ethnicity,disability," \
          "uasc" > pf
    print "id,ref,kind,date,in_touch,method,activity,accommodation" > ef
    # Born so that the age on the as-of date is 15..24.
    dob_lo = birthday(today, -25) + 1
    dob_hi = birthday(today, -15)
    ev = 0
    for (i = 1; i <= n; i++) {
        ref = sprintf("YP%0" wp "d", i)
        dob = between(dob_lo, dob_hi)
        b16 = birthday(dob, 16)
        b18 = birthday(dob, 18)
        age = (today >= b18) ? 18 : (today >= b16 ? 16 : 15)
        # Care began between the 5th birthday and 13 weeks before the 16th.
        cs = between(birthday(dob, 5), b16 - 91)
        lc = ""
        flags = ""
        if (age == 15) {
            st = "looked-after"
            if (cs > today)
                cs = between(birthday(dob, 5), today)
        } else if (age == 16 && (rnd() < 0.5 || b16 == today)) {
            st = "eligible"
        } else {
            st = (age == 16) ? "relevant" : "former-relevant"
            lc = between(b16 + 1, (age == 16 ? today : b18 - 1))
            r = rnd()
            if (r < 0.15)
                flags = "council-accommodation"
            else if (r < 0.25 && age == 18)
                flags = "support-to-25"
        }
        # One at a time: awks differ in the order they evaluate arguments.
        sex = pick("1:56 2:43 :1")
        eth = pick("WBRI:62 WIRI:1 WIRT:0.5 WOTH:4 WROM:0.5 MWBC:3 " \
                   "MWBA:1.5 MWAS:1 MOTH:3 AIND:1 APKN:2 ABAN:1 AOTH:3 " \
                   "BCRB:2 BAFR:6 BOTH:2 CHNE:0.5 OOTH:4 REFU:0.5 NOBT:0.5 :1")
        dis = pick("yes:12 no:85 :3")
        uasc = pick("yes:14 no:84 :2")
        years = today >= birthday(dob, 19) ? 19 : 18
        if (today >= birthday(dob, 20))
            years = 20
        has_phone = rnd() < 0.9
        has_email = rnd() < 0.7
        printf "%s,%s,%s,%s,%s,%s,PA%0" wa "d,%s,%s,%s,%s,%s,%s,%s,%s,%s\n",
            ref, first[between(1, nfirst)], ymd(dob), st, ymd(cs),
            (lc == "" ? "" : ymd(lc)), between(1, nadv),
            (has_phone ? phone(i) : ""),
            (has_email ? "yp" i "@example.org" : ""),
            (has_phone ? yn(0.6) : "no"), (has_email ? yn(0.5) : "no"),
            flags, sex, eth, dis, uasc > pf

        # Three or four events in the two years before the as-of date,
        # none before the 16th birthday (so none for 15-year-olds), in
        # date order and at least 8 days apart, as a team records them.
        lo = today - 730
        if (lo <= b16)
            lo = b16 + 1
        ne = 3 + (rnd() < 0.4)
        if (ne > int((today - lo) / 8))
            ne = int((today - lo) / 8)
        if (ne < 1)
            continue
        slot = int((today - lo) / ne)
        for (j = 0; j < ne; j++) {
            k = kind[between(1, nkind)]
            if (k == "contact")
                m = meth[between(1, nmeth)]
            else
                m = (k == "visit") ? "in-person" : ""
            d = ymd(lo + j * slot + between(0, slot - 8))
            y = yn(k == "contact" ? 0.8 : 0.95)
            o = y ",,"
            if (k == "contact" || k == "visit")
                o = outcome(y == "yes", years)
            split(o, f, ",")
            printf "EV%0" we "d,%s,%s,%s,%s,%s,%s,%s\n", ++ev, ref, k, d,
                f[1], m, f[2], f[3] > ef
        }
    }
    close(pf)
    close(ef)
}
