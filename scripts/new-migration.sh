#!/usr/bin/env bash
# Writes a migration for BOTH databases from the change of prisma/schema.prisma since HEAD, offline:
#   prisma/migrations/<timestamp>_<name>/migration.sql             (SQLite)
#   prisma/migrations-postgresql/<timestamp>_<name>/migration.sql  (PostgreSQL)
# and refreshes prisma/postgresql/schema.prisma (derived from prisma/schema.prisma by scripts/pg-schema.mjs).
# (`prisma migrate dev` needs a shadow database and native engines; this needs neither.) Prisma 6.19's CLI on a driver
# adapter connects to a PostgreSQL server even to diff two schema files: PG_DIFF_URL names one (default the local
# server); nothing is written to it.
set -euo pipefail
name="${1:?usage: npm run db:migration -- <name>}"
cd "$(dirname "$0")/.."
node scripts/pg-schema.mjs
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git show HEAD:prisma/schema.prisma > "$work/old.prisma"
node --input-type=module -e '
import fs from "node:fs";
import { derivePgSchema } from "./scripts/pg-schema.mjs";
fs.writeFileSync(process.argv[2], derivePgSchema(fs.readFileSync(process.argv[1], "utf8")));
' "$work/old.prisma" "$work/old-pg.prisma"
stamp="$(date -u +%Y%m%d%H%M%S)_${name}"
sqlite_dir="prisma/migrations/$stamp"
pg_dir="prisma/migrations-postgresql/$stamp"
mkdir -p "$sqlite_dir" "$pg_dir"
DATABASE_URL="file:$work/diff.db" npx prisma migrate diff --from-schema-datamodel "$work/old.prisma" --to-schema-datamodel prisma/schema.prisma --script > "$sqlite_dir/migration.sql"
DATABASE_URL="${PG_DIFF_URL:-postgresql://postgres@127.0.0.1:5432/postgres}" npx prisma migrate diff --config prisma/postgresql/prisma.config.ts \
  --from-schema-datamodel "$work/old-pg.prisma" --to-schema-datamodel prisma/postgresql/schema.prisma --script > "$pg_dir/migration.sql"
echo "wrote $sqlite_dir/migration.sql and $pg_dir/migration.sql"
