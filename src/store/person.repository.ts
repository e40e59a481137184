/** People looked up by 工号 or by their place (beyond org.repository.ts). */
import type { Tx } from './prisma.js';
import type { PersonRow } from './org.repository.js';

/** The person with exactly this 工号 (active or not). */
export async function personByStaffId(db: Tx, staffId: string): Promise<(PersonRow & { active: boolean }) | null> {
  return db.person.findUnique({ where: { staffId } });
}

/** The first active person (by id) with this role and place. */
export async function firstActivePerson(db: Tx, where: { role: string; schoolId?: number; townId?: number }): Promise<PersonRow | null> {
  return db.person.findFirst({ where: { ...where, active: true }, orderBy: { id: 'asc' } });
}
