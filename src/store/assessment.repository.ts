/** What the annual assessment reads beyond the other services: alerts that climbed, per school, in one statement. */
import { Prisma } from '../../generated/prisma/client.js';
import type { Tx } from './prisma.js';
import { num } from './area-sql.js';

/** Per school: alerts whose escalation (town or county) happened in [from, to) — one statement for the county. */
export async function escalationsBySchool(tx: Tx, from: Date, to: Date): Promise<Map<number, { town: number; county: number }>> {
  const rows = await tx.$queryRaw<{ schoolId: number; escalation: string; n: unknown }[]>(
    Prisma.sql`SELECT c."schoolId" AS "schoolId", a."escalation" AS "escalation", COUNT(*) AS "n"
      FROM "Alert" a JOIN "Student" s ON s."id" = a."studentId" JOIN "SchoolClass" c ON c."id" = s."classId"
      WHERE a."escalation" IN ('town', 'county') AND a."escalatedAt" >= ${from} AND a."escalatedAt" < ${to}
      GROUP BY c."schoolId", a."escalation"`,
  );
  const out = new Map<number, { town: number; county: number }>();
  for (const r of rows) {
    const id = num(r.schoolId);
    const e = out.get(id) ?? { town: 0, county: 0 };
    if (r.escalation === 'county') e.county += num(r.n);
    else e.town += num(r.n);
    out.set(id, e);
  }
  return out;
}
