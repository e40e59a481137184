/** Each unit's own targets: a school's, else its town's, else the county's (config TARGET_*). */
import type { Tx } from '../store/prisma.js';
import { resolveTargets, type Targets } from '../domain/rates.js';
import { targetOverrides, type TargetOverrides } from '../store/rates.repository.js';

export interface TargetBook {
  county: Targets;
  town(townId: number): Targets;
  school(schoolId: number, townId: number): Targets;
  /** Whether the unit (or, for a school, its town) set any target of its own. */
  hasOwn(kind: 'town' | 'school', id: number): boolean;
}

export function targetBookOf(county: Targets, o: TargetOverrides): TargetBook {
  return {
    county,
    town: (townId) => resolveTargets(county, o.towns.get(townId)),
    school: (schoolId, townId) => resolveTargets(county, o.schools.get(schoolId), o.towns.get(townId)),
    hasOwn: (kind, id) => (kind === 'town' ? o.towns : o.schools).has(id),
  };
}

/** Reads every override once (a few rows per unit at most). */
export async function targetBook(tx: Tx, county: Targets): Promise<TargetBook> {
  return targetBookOf(county, await targetOverrides(tx));
}
