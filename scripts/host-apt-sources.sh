#!/usr/bin/env bash
# Prints the host's enabled binary apt sources, one line each:
#   <URI> <suite> <component>...
# from /etc/apt/sources.list, sources.list.d/*.list (one-line format) and
# sources.list.d/*.sources (deb822). Options in [...] and Signed-By are left
# out: the caller writes its own entries from these.
# Usage: host-apt-sources.sh [APT_ETC_DIR]   (default /etc/apt)
set -euo pipefail
etc=${1:-/etc/apt}

one_line() {
    # deb [arch=amd64 signed-by=...] URI suite comp...
    sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$1" | awk '$1 == "deb" && NF >= 3 {
        line = $2 " " $3
        for (i = 4; i <= NF; i++) line = line " " $i
        print line
    }'
}

deb822() {
    # Stanzas separated by blank lines; one output line per URI x suite.
    # Continuation lines (starting with a blank) belong to the field before.
    sed -e '/^#/d' "$1" | awk '
        function flush(   nu, ns, u, s, uris, suites) {
            if (types ~ /(^| )deb( |$)/ && tolower(enabled) != "no" && uris_f != "" && suites_f != "") {
                nu = split(uris_f, uris, " ")
                ns = split(suites_f, suites, " ")
                for (u = 1; u <= nu; u++)
                    for (s = 1; s <= ns; s++)
                        print uris[u] " " suites[s] (comps != "" ? " " comps : "")
            }
            types = ""; uris_f = ""; suites_f = ""; comps = ""; enabled = ""; field = ""
        }
        /^[ \t]*$/ { flush(); next }
        /^[ \t]/ {
            v = $0; gsub(/^[ \t]+|[ \t]+$/, "", v)
            if (field == "uris") uris_f = uris_f " " v
            else if (field == "suites") suites_f = suites_f " " v
            else if (field == "components") comps = comps " " v
            next
        }
        {
            key = tolower($0); sub(/:.*/, "", key)
            v = $0; sub(/^[^:]*:[ \t]*/, "", v); gsub(/[ \t]+$/, "", v)
            field = key
            if (key == "types") types = v
            else if (key == "uris") uris_f = v
            else if (key == "suites") suites_f = v
            else if (key == "components") comps = v
            else if (key == "enabled") enabled = v
        }
        END { flush() }'
}

[ -f "$etc/sources.list" ] && one_line "$etc/sources.list"
for f in "$etc"/sources.list.d/*.list; do
    [ -f "$f" ] && one_line "$f"
done
for f in "$etc"/sources.list.d/*.sources; do
    [ -f "$f" ] && deb822 "$f"
done
exit 0
