#!/bin/sh
# Nightly PostgreSQL backup with retention, run by the compose `backup` service.
# Restore steps: docs/operations.md.
set -eu
while true; do
  now=$(date +%s)
  next=$(date -d "tomorrow 02:00" +%s 2>/dev/null || echo $((now + 86400)))
  sleep $((next - now))
  file="/backups/campaign-$(date +%Y%m%d-%H%M).dump"
  if pg_dump --format=custom --file="$file.part" && mv "$file.part" "$file"; then
    echo "backup written: $file ($(du -h "$file" | cut -f1))"
  else
    echo "backup FAILED" >&2
    rm -f "$file.part"
  fi
  find /backups -name 'campaign-*.dump' -mtime +"${BACKUP_KEEP_DAYS:-14}" -print -delete
done
