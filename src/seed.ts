/** The demo county: generated, validated like any roster, and written only into a database with no county. */
import type { Db } from './store/prisma.js';
import { countyExists } from './store/org.repository.js';
import { demoTables } from './demo/demo-county.js';
import { validateRoster } from './roster/validate.js';
import { importRoster, type ImportSummary } from './store/roster-import.js';

export const DEMO_COUNTY_NAME = '示范县';

export async function seedDemoIfEmpty(db: Db, at: Date): Promise<ImportSummary | undefined> {
  if (await countyExists(db)) return undefined;
  return seedDemo(db, at);
}

export async function seedDemo(db: Db, at: Date): Promise<ImportSummary> {
  const { people, students } = demoTables();
  const r = validateRoster(people, students);
  if (!r.ok) throw new Error(`demo county does not validate: ${JSON.stringify(r.errors.slice(0, 5))}`);
  return importRoster(db, r.roster, { countyName: DEMO_COUNTY_NAME, demo: true, at });
}
