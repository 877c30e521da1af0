#!/usr/bin/env bash
# The morning routine: take in the day's CRM export, see today's calls, put them in the
# calendar.
#
#   examples/morning.sh ~/Downloads/leads-export.csv [~/Calendars/warmcall.ics]
#
# Rows that cannot be read are set aside (with their line and reason) in a CSV next to the
# export instead of stopping the import; leads already known are left as they are. The
# calendar file is rewritten each morning: the events keep their ids, so a calendar app that
# subscribes to it updates them instead of adding copies. WARMCALL_DB chooses the store.
set -euo pipefail

if [[ $# -lt 1 ]]; then
    echo "usage: $0 EXPORT.csv [CALENDAR.ics]" >&2
    exit 2
fi
export_csv=$1
calendar=${2:-"$HOME/warmcall-today.ics"}
rejects="${export_csv%.csv}-rejected-$(date +%F).csv"

warmcall lead import "$export_csv" --skip-invalid --rejects "$rejects" --on-duplicate skip
if [[ -f "$rejects" && $(wc -l <"$rejects") -gt 1 ]]; then
    echo "Some rows were set aside: see $rejects" >&2
else
    rm -f "$rejects"
fi
echo
warmcall next --ics "$calendar"
