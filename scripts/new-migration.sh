#!/usr/bin/env bash
# Writes prisma/migrations/<timestamp>_<name>/migration.sql from the change of prisma/schema.prisma since HEAD.
# (`prisma migrate dev` needs a shadow database and native engines; this needs neither.)
set -euo pipefail
name="${1:?usage: npm run db:migration -- <name>}"
cd "$(dirname "$0")/.."
old="$(mktemp --suffix=.prisma)"
git show HEAD:prisma/schema.prisma > "$old"
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
mkdir -p "$dir"
DATABASE_URL="file:$(mktemp -d)/diff.db" npx prisma migrate diff --from-schema-datamodel "$old" --to-schema-datamodel prisma/schema.prisma --script > "$dir/migration.sql"
rm -f "$old"
echo "wrote $dir/migration.sql"
