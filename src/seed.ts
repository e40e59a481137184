/** The demo county: generated, validated like any roster, and written only into a database with no county. */
import type { Db } from './store/prisma.js';
import { countyExists } from './store/org.repository.js';
import { demoTables } from './demo/demo-county.js';
import { generateCounty, type GenerateOptions } from './demo/generated-county.js';
import { countyTables } from './demo/county-tables.js';
import { validateRoster } from './roster/validate.js';
import { importRoster, type ImportSummary } from './store/roster-import.js';

export const DEMO_COUNTY_NAME = '示范县';

export async function seedDemoIfEmpty(db: Db, at: Date): Promise<ImportSummary | undefined> {
  if (await countyExists(db)) return undefined;
  return seedDemo(db, at);
}

/** The small demo county, or with `size` a generated county of that many students (generated-county.ts). */
export async function seedDemo(db: Db, at: Date, size?: GenerateOptions): Promise<ImportSummary> {
  const { people, students } = size ? countyTables(generateCounty(size)) : demoTables();
  const r = validateRoster(people, students);
  if (!r.ok) throw new Error(`demo county does not validate: ${JSON.stringify(r.errors.slice(0, 5))}`);
  return importRoster(db, r.roster, { countyName: DEMO_COUNTY_NAME, demo: true, at });
}
