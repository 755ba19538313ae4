# gen-903.awk: synthetic, deterministic SSDA903 tables for bench/gen-903.
#
#   awk -v n=100000 -v dir=/tmp/x -v seed=903 -f bench/gen-903.awk
#
# Writes dir/header.csv, episodes.csv, reviews.csv, uasc.csv,
# oc3_2024-25.csv, oc3_2025-26.csv and people.csv (names and contact for
# the children a leaving-care team would know, not every child). Nothing
# is dated after 31 March 2026, the end of the 2025-26 collection year.
# Random numbers from our own Park-Miller generator, not awk's rand(), so
# mawk, gawk and busybox awk give the same files for the same seed.
#
# Care histories: a first episode (RNE S) between birth and 17, placement
# moves (new episodes with RNE P, T, B or U, the old one ending X1),
# changes of legal status only (RNE L), pre-planned short breaks before
# care (LS V3, V4), returns home (E4A, E13, ...) and re-entries into
# care, care ending at 18 (E17 Staying Put for some in foster care), and
# now and then a death (E2) or a transfer to another council (E3).
# Unaccompanied asylum-seeking children arrive at 14 to 17.

function days(y, m, d,    era, yoe, doy, doe) {
    y -= (m <= 2)
    era = int((y >= 0 ? y : y - 399) / 400)
    yoe = y - era * 400
    doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
    doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
    return era * 146097 + doe - 719468
}

# civil_from_days into cy, cm, cd.
function civil(z,    era, doe, yoe, doy, mp) {
    z += 719468
    era = int((z >= 0 ? z : z - 146096) / 146097)
    doe = z - era * 146097
    yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
    cy = yoe + era * 400
    doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
    mp = int((5 * doy + 2) / 153)
    cd = doy - int((153 * mp + 2) / 5) + 1
    cm = mp + (mp < 10 ? 3 : -9)
    cy += (cm <= 2)
}

function dmy(z) {
    civil(z)
    return sprintf("%02d/%02d/%04d", cd, cm, cy)
}

function ymd(z) {
    civil(z)
    return sprintf("%04d-%02d-%02d", cy, cm, cd)
}

# The day a person born on day dob turns a; 29 Feb falls on 28 Feb.
function birthday(dob, a,    d) {
    civil(dob)
    d = cd
    if (cm == 2 && d == 29 && !((cy + a) % 4 == 0 &&
                                ((cy + a) % 100 != 0 || (cy + a) % 400 == 0)))
        d = 28
    return days(cy + a, cm, d)
}

function rnd() {
    seed = (seed * 48271) % 2147483647
    return (seed - 1) / 2147483646
}

function between(lo, hi) {
    return lo + int(rnd() * (hi - lo + 1))
}

function pick(list, nl) {
    return list[between(1, nl)]
}

function postcode() {
    return sprintf("%s%d %d%s", pick(area, narea), between(1, 20),
                   between(1, 9), pick(unit, nunit))
}

# A placement for a child of age a (years), other than old.
function placement(a, old,    p) {
    do {
        if (a >= 16 && rnd() < 0.35)
            p = pick(place16, nplace16)
        else
            p = pick(place, nplace)
    } while (p == old)
    return p
}

# The legal status after a change from ls (RNE L, T, B or U).
function next_ls(ls) {
    if (ls == "L1" || ls == "L2" || ls == "L3")
        return rnd() < 0.7 ? "C1" : "V2"
    if (ls == "C1")
        return "C2"
    if (ls == "V2")
        return rnd() < 0.6 ? "C1" : "C2"
    if (ls == "J2" || ls == "J3")
        return "V2"
    return rnd() < 0.5 ? "E1" : "V2"
}

function urn(p) {
    if (p ~ /^(K2|R[0-9]|S1)$/)
        return sprintf("SC%06d", between(100000, 999999))
    return "XXXXXXX"
}

# A new placement's type, provider, postcode and URN, kept until the next.
function setplace(p) {
    pl = p
    plprov = (p ~ /^U/ ? "PR" between(0, 2) : "PR" between(1, 5))
    plpost = rnd() < 0.8 ? postcode() : ""
    plurn = urn(p)
}

function episode(start, end, rne, ls, rec, why) {
    printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", ref, dmy(start), rne,
        ls, cin, pl, plprov, (end == "" ? "" : dmy(end)), rec, why, homepc,
        plpost, plurn > ef
    nep++
}

# Reviews of one spell of care [s, e): 20 working days in, 3 months
# after, then every 6 months, those in the two years the files cover.
function reviews(s, e,    d, k) {
    d = s + 28
    for (k = 0; d < e && d <= last; k++) {
        if (d >= review_from)
            printf "%s,%s,%s,%s\n", ref, dmy(dob), dmy(d),
                pick(pn, npn) > rf
        d += (k == 0) ? 91 : between(175, 190)
    }
}

# Pre-planned short breaks before the first episode at t.
function short_breaks(t,    s, k, len) {
    s = between(dob + 1200, t - 200)
    for (k = between(1, 4); k > 0 && s + 10 < t - 30; k--) {
        len = between(1, 6)
        setplace("U1")
        episode(s, s + len, "S", rnd() < 0.6 ? "V3" : "V4", "E13", "")
        s += len + between(20, 70)
    }
}

# A care history from day t; sets incare, left, left16, died, moved.
function history(t,    ls, e, r, rne, age, spell, rec, why) {
    if (!uasc && t - dob > 1600 && rnd() < 0.1)
        short_breaks(t)
    r = rnd()
    ls = uasc ? "V2" : (r < 0.4 ? "C2" : r < 0.7 ? "V2" : r < 0.82 ? "C1" : \
                        r < 0.9 ? "L2" : r < 0.95 ? "L1" : "J2")
    rne = "S"
    why = ""
    spell = t
    setplace(placement((t - dob) / 365.25, ""))
    while (1) {
        if (ls ~ /^L/)
            e = t + between(1, 8)
        else
            e = t + 20 + int(rnd() * rnd() * 1100)
        if (e >= b18)
            e = b18
        if (e > last) {
            episode(t, "", rne, ls, "", why)
            incare = 1
            if (last >= b16)
                left16 = 1
            reviews(spell, last + 1)
            return
        }
        age = (e - dob) / 365.25
        if (e == b18) {
            rec = (pl ~ /^U/ && rnd() < 0.4) ? "E17" : pick(rec18, nrec18)
        } else if (ls ~ /^L/) {
            rec = "X1"
        } else {
            r = rnd()
            rec = r < 0.5 ? "X1" : r < 0.6 ? "X1L" : ""
        }
        if (rec == "X1" || rec == "X1L") {
            episode(t, e, rne, ls, "X1", why)
            r = rnd()
            if (rec == "X1L" || ls ~ /^L/) {
                rne = "L"
                ls = next_ls(ls)
                why = ""
            } else {
                rne = r < 0.6 ? "P" : r < 0.75 ? "T" : r < 0.85 ? "B" : "U"
                if (rne != "P")
                    ls = next_ls(ls)
                setplace(placement(age, pl))
                why = pick(rpc, nrpc)
            }
            t = e
            continue
        }
        if (rec == "") {
            r = rnd()
            rec = r < 0.006 ? "E2" : r < 0.04 ? "E3" : \
                  (age < 10 && r < 0.12) ? pick(adopt, nadopt) : \
                  (age >= 12 && r < 0.08) ? "E9" : pick(home, 0 + nhome)
        }
        episode(t, e, rne, ls, rec, why)
        reviews(spell, e)
        left = e
        if (e >= b16)
            left16 = 1
        if (rec == "E2")
            died = e
        if (rec == "E3")
            gone = 1
        if (rec == "E2" || rec == "E3" || e == b18 || rec ~ /^E1[12]$/)
            return
        # Back into care after a while, for some.
        if (rnd() >= (age < 16 ? 0.35 : 0.15))
            return
        t = e + between(30, 500)
        if (t >= b18 - 30 || t > last - 10)
            return
        r = rnd()
        ls = r < 0.5 ? "V2" : r < 0.8 ? "C1" : "C2"
        rne = "S"
        why = ""
        spell = t
        setplace(placement((t - dob) / 365.25, ""))
    }
}

function accommodation(a,    l) {
    do
        l = pick(accl, naccl)
    while ((l == "T" && a < 19) || (l == "Z" && a < 18))
    if (l == "S" || l == "X")
        return l "2"
    return l (rnd() < 0.85 ? "1" : "2")
}

# OC3 rows for the collection year to 31 March of year y.
function oc3(y, f,    ys, ye, a, bd, r, it) {
    ys = days(y - 1, 4, 1)
    ye = days(y, 3, 31)
    for (a = 17; a <= 21; a++) {
        bd = birthday(dob, a)
        if (bd < ys || bd > ye || bd > last)
            continue
        if (died != "" && died < bd) {
            printf "%s,%s,DIED,0,0\n", ref, dmy(dob) > f
            return
        }
        r = rnd()
        it = r < 0.8 ? "YES" : r < 0.88 ? "NO" : r < 0.93 ? "REFU" : \
             r < 0.97 ? "NREQ" : "RHOM"
        if (it == "YES")
            printf "%s,%s,YES,%s,%s\n", ref, dmy(dob), pick(activ, nactiv),
                accommodation(a) > f
        else
            printf "%s,%s,%s,0,0\n", ref, dmy(dob), it > f
    }
}

function person(i,    age, st, has_phone, has_email) {
    age = (last - dob) / 365.25
    if (incare)
        st = age < 16 ? "looked-after" : "eligible"
    else
        st = age < 18 ? "relevant" : "former-relevant"
    has_phone = rnd() < 0.9
    has_email = rnd() < 0.7
    printf "%s,%s,%s,%s,%s,%s,%s,%s\n", ref, pick(first, nfirst), ymd(dob),
        st, (has_phone ? sprintf("07700 9%05d", i % 100000) : ""),
        (has_email ? "c" i "@example.org" : ""),
        (has_phone && rnd() < 0.6 ? "yes" : "no"),
        (has_email && rnd() < 0.5 ? "yes" : "no") > pf
    npeople++
}

BEGIN {
    seed = (seed == "" ? 903 : seed) % 2147483647
    if (seed <= 0)
        seed += 2147483646
    n += 0
    last = days(2026, 3, 31)
    review_from = days(2024, 4, 1)
    nfirst = split("Aaliyah Adam Amelia Ben Bethany Callum Chloe Daniel " \
                   "Ellie Ethan Faith Finley Grace Harvey Holly Isaac Jade " \
                   "Jayden Kacey Kai Leah Liam Maisie Mason Mia Noah Olivia " \
                   "Oscar Paige Reece Ruby Ryan Sienna Tyler Zara Zoe", first)
    neth = split("WBRI WBRI WBRI WBRI WBRI WIRI WOTH WOTH WROM MWBC MWBA " \
                 "MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR BAFR BOTH CHNE " \
                 "OOTH REFU NOBT", eth)
    nueth = split("AOTH BAFR BOTH OOTH WOTH", ueth)
    nplace = split("U1 U1 U1 U2 U3 U3 U4 U4 U5 U6 K2 K2 R1 R2 P1 Z1", place)
    nplace16 = split("H5 H5 P2 K2 U1 U4", place16)
    nrec18 = split("E5 E5 E6 E6 E7 E8", rec18)
    nhome = split("E4A E4A E4A E13 E13 E41 E45 E46 E47 E48 E8 E14", home)
    nadopt = split("E11 E12", adopt)
    nrpc = split("CARPL CLOSE ALLEG STAND APPRR CREQB CREQO CHILD LAREQ " \
                 "PLACE OTHER", rpc)
    npn = split("PN0 PN1 PN1 PN1 PN2 PN3 PN4 PN5 PN6 PN7", pn)
    nactiv = split("F1 P1 F2 F2 P2 F4 P4 F5 P5 G4 G5 G5 G6", activ)
    naccl = split("B C D D E E G H K R S T U U V W X Y Z", accl)
    narea = split("AB B BS CF E LS M N NE NG S SE SW W", area)
    nunit = split("AA AB BD CF DE EG HJ LN PQ RS TU WX", unit)
    ncin = split("N1 N1 N1 N1 N1 N2 N3 N4 N4 N5 N6 N7 N8", cins)

    hf = dir "/header.csv"
    ef = dir "/episodes.csv"
    rf = dir "/reviews.csv"
    uf = dir "/uasc.csv"
    o1 = dir "/oc3_2024-25.csv"
    o2 = dir "/oc3_2025-26.csv"
    pf = dir "/people.csv"
    print "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB" > hf
    print "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC," \
          "REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN" > ef
    print "CHILD,DOB,REVIEW,REVIEW_CODE" > rf
    print "CHILD,SEX,DOB,DUC" > uf
    print "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM" > o1
    print "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM" > o2
    print "ref,first_name,dob,status,phone,email,sms_consent," \
          "email_consent" > pf

    # Aged 12 to 22 on 31 March 2026.
    dob_lo = birthday(last, -23) + 1
    dob_hi = birthday(last, -12)
    wp = length(n "") > 7 ? length(n "") : 7
    for (i = 1; i <= n; i++) {
        ref = sprintf("C%0" wp "d", i)
        dob = between(dob_lo, dob_hi)
        b14 = birthday(dob, 14)
        b16 = birthday(dob, 16)
        b18 = birthday(dob, 18)
        sex = between(1, 2)
        uasc = b14 + 240 < last && rnd() < 0.06
        printf "%s,%d,%s,%s,%s,,\n", ref, sex, dmy(dob),
            (uasc ? pick(ueth, nueth) : pick(eth, neth)),
            (rnd() < 0.7 ? sprintf("A%012d", i) : "") > hf
        if (uasc) {
            t = between(b14 + 180, b18 - 60)
            printf "%s,%d,%s,%s\n", ref, sex, dmy(dob),
                (b18 <= last ? dmy(b18) : "") > uf
        } else if (rnd() < 0.3)
            t = between(dob + 20, b14 - 1)
        else
            t = between(birthday(dob, 8), b18 - 60)
        if (t > last - 5)
            t = between(dob + 20, last - 5)
        cin = uasc ? "N1" : pick(cins, ncin)
        homepc = postcode()
        incare = left16 = gone = 0
        left = died = ""
        history(t)
        if ((incare || left16) && !gone) {
            oc3(2025, o1)
            oc3(2026, o2)
            if (rnd() < 0.7)
                person(i)
        }
    }
    close(hf)
    close(ef)
    close(rf)
    close(uf)
    close(o1)
    close(o2)
    close(pf)
    printf "%d children, %d episodes, %d people\n", n, nep, npeople
}
