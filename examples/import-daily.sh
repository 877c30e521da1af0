#!/bin/sh
# Import the day's lead export from the CRM or web form, keep going past bad rows, and
# keep those rows (with their line and reason) next to the export to fix tomorrow.
#
#   examples/import-daily.sh ~/Downloads/leads-2026-11-25.csv
#   crontab: 30 7 * * 1-5  /path/to/import-daily.sh /srv/exports/leads-$(date +\%F).csv
#
# Exit codes: 0 imported (maybe with rejects), 1 the file could not be read or mapped,
# 2 a usage error. Leads already known by e-mail or phone are updated, not duplicated.
set -eu

export_file=${1:?usage: import-daily.sh EXPORT.csv}
day=$(date +%F)
rejects="${export_file%.csv}.rejects-$day.csv"
summary="${export_file%.csv}.import-$day.json"

warmcall lead import "$export_file" \
    --skip-invalid \
    --on-duplicate update \
    --rejects "$rejects" \
    --json >"$summary"

python3 - "$summary" "$rejects" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"{s['source']}: {s['imported']} new, {s['updated']} updated, "
      f"{s['skipped']} skipped, {s['rejected']} rejected")
if s["rejected"]:
    print(f"fix the rejected rows in {sys.argv[2]} and import that file again")
PY
