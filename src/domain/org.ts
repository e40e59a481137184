/** Who may see and act on whom: the two responsibility lines and each role's scope. Pure. */
import type { Role } from './types.js';

/** A person's place in the organisation (ids from the store). */
export interface Actor {
  id: number;
  role: Role;
  townId?: number | null;
  villageId?: number | null;
  schoolId?: number | null;
  classId?: number | null;
}

/** Where a student sits on both lines. */
export interface StudentPlace {
  classId: number;
  schoolId: number;
  schoolTownId: number;
  villageId: number;
  villageTownId: number;
}

/** School line: principal → class teacher → subject teacher. Township line: town → village cadre. */
export function canSeeStudent(a: Actor, s: StudentPlace): boolean {
  const area = areaOf(a);
  return area !== undefined && studentInArea(area, s);
}

/** Scope of an aggregate question ("status"): which schools' figures an actor may read. */
export type Area =
  | { kind: 'county' }
  | { kind: 'town'; townId: number }
  | { kind: 'village'; villageId: number }
  | { kind: 'school'; schoolId: number }
  | { kind: 'class'; classId: number };

export function areaOf(a: Actor): Area | undefined {
  switch (a.role) {
    case 'county':
      return { kind: 'county' };
    case 'town':
      return a.townId != null ? { kind: 'town', townId: a.townId } : undefined;
    case 'village':
      return a.villageId != null ? { kind: 'village', villageId: a.villageId } : undefined;
    case 'principal':
      return a.schoolId != null ? { kind: 'school', schoolId: a.schoolId } : undefined;
    case 'class_teacher':
    case 'subject_teacher':
      return a.classId != null ? { kind: 'class', classId: a.classId } : undefined;
  }
}

export function studentInArea(area: Area, s: StudentPlace): boolean {
  switch (area.kind) {
    case 'county':
      return true;
    case 'town':
      return s.villageTownId === area.townId || s.schoolTownId === area.townId;
    case 'village':
      return s.villageId === area.villageId;
    case 'school':
      return s.schoolId === area.schoolId;
    case 'class':
      return s.classId === area.classId;
  }
}
