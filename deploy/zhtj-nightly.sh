#!/bin/sh
# zhtj-nightly: load the drop folder (every file in it: the complete latest exports), then build
# the meeting packs of $ZHTJ_PACK_ORGS into $ZHTJ_PACKS/YYYY-MM-DD/. Run by zhtj-nightly.service.
# A load that fails leaves the previous database in place and stops here (no packs of old data).
set -eu

ZHTJ=${ZHTJ:-/opt/zhtj/bin/zhtj}
DB=${ZHTJ_DB:-/var/lib/zhtj/zhtj.duckdb}
DROP=${ZHTJ_DROP:-/srv/zhtj/drop}
SETTINGS=${ZHTJ_SETTINGS:-/etc/zhtj/settings.toml}
PACKS=${ZHTJ_PACKS:-/srv/zhtj/packs}
ORGS=${ZHTJ_PACK_ORGS:-}
PACK_LANG=${ZHTJ_PACK_LANG:-zh}
KEEP_DAYS=${ZHTJ_PACK_KEEP_DAYS:-60}

# shellcheck disable=SC2086  # ZHTJ_ETL_ARGS is a list of options
"$ZHTJ" etl "$DROP" --db "$DB" --settings "$SETTINGS" --quiet ${ZHTJ_ETL_ARGS:-}

if [ -z "$ORGS" ]; then
    echo "ZHTJ_PACK_ORGS is empty: no meeting packs built"
    exit 0
fi
day=$(date +%F)
mkdir -p "$PACKS/$day"
status=0
for org in $ORGS; do
    # An organization id may hold "/" or "=": the file name keeps letters, digits, ".", "_", "-".
    out="$PACKS/$day/$(printf '%s' "$org" | tr -c 'A-Za-z0-9._-' '_')"
    if ! "$ZHTJ" report --db "$DB" --org "$org" --lang "$PACK_LANG" --by "zhtj-nightly" \
            --out "$out.pdf" --out "$out.pptx" --out "$out.xlsx" --quiet; then
        echo "meeting pack of $org failed" >&2
        status=1  # the other organizations' packs are still built
    fi
done
find "$PACKS" -mindepth 1 -maxdepth 1 -type d -name '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' \
    -mtime +"$KEEP_DAYS" -exec rm -rf {} +
exit "$status"
