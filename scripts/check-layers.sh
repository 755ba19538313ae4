#!/bin/sh
# check-layers.sh: fails, naming file:line, on an #include that points to a
# layer the including file's layer may not use (make check-layers; make
# check runs it). A layer is a folder: daemon/NAME, or adapters/ with its
# subfolders. Includes name a header from its root (-Idaemon -I.):
# "store/store.h", "adapters/net/net.h".
#
# Lowest first; each layer may include itself and those after its colon.
# text (pure string functions) and base (kit.h's vocabulary, dates, log,
# errors) are under everything. Adapters see only those: never the store
# or the configuration (conf.h includes adapter.h for adapter_conf, not the
# other way). The store and conf sit side by side: neither includes the
# other, so the store includes nothing from conf, plan or outbox. kitd and
# kitctl are programs: nothing includes them, and neither the other.
# Tests, fuzz targets and benchmarks may include anything.
layers='
text:
base: text
adapters: text base
store: text base
conf: text base adapters
plan: text base conf store
outbox: text base conf store plan
intake: text base conf store plan
report: text base plan
kitd: text base adapters conf store plan outbox intake
kitctl: text base conf store plan outbox intake report
'
cd "${1:-.}" || exit 2
find daemon adapters -name '*.[ch]' | sort |
    xargs grep -Hn '^[ 	]*#[ 	]*include[ 	]*"' |
    awk -v layers="$layers" '
    BEGIN {
        n = split(layers, line, "\n")
        for (i = 1; i <= n; i++) {
            if (line[i] !~ /:/) continue
            split(line[i], kv, ":")
            ok[kv[1] " " kv[1]] = 1
            known[kv[1]] = 1
            m = split(kv[2], below, " ")
            for (j = 1; j <= m; j++) ok[kv[1] " " below[j]] = 1
        }
    }
    function layer(path,   p) {
        split(path, p, "/")
        if (p[1] == "daemon") return p[2]
        return p[1]
    }
    {
        file = $0; sub(/:.*/, "", file)
        ln = $0; sub(/^[^:]*:/, "", ln); sub(/:.*/, "", ln)
        inc = $0; sub(/^[^"]*"/, "", inc); sub(/".*/, "", inc)
        from = layer(file)
        to = (inc ~ /^adapters\//) ? "adapters" : layer("daemon/" inc)
        if (inc !~ /\//) {
            printf "%s:%s: #include \"%s\" names no folder (-Idaemon -I.)\n", file, ln, inc
            bad++
        } else if (!(to in known)) {
            printf "%s:%s: #include \"%s\" is outside every layer\n", file, ln, inc
            bad++
        } else if (!((from " " to) in ok)) {
            printf "%s:%s: #include \"%s\": %s may not include %s (a higher or side layer)\n", file, ln, inc, from, to
            bad++
        }
    }
    END {
        if (bad) { printf "check-layers: %d include(s) point the wrong way\n", bad; exit 1 }
    }'
