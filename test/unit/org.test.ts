import { describe, expect, it } from 'vitest';
import { areaOf, canSeeStudent, type Actor, type StudentPlace } from '../../src/domain/org.js';
import { ROLES, type Role } from '../../src/domain/types.js';

// A student in class 11 of school 5 (in town 1), living in village 7 of town 2: the two lines meet in different towns.
const s: StudentPlace = { classId: 11, schoolId: 5, schoolTownId: 1, villageId: 7, villageTownId: 2 };
const inScope: Record<Role, Actor> = {
  county: { id: 1, role: 'county' },
  town: { id: 2, role: 'town', townId: 2 },
  village: { id: 3, role: 'village', townId: 2, villageId: 7 },
  principal: { id: 4, role: 'principal', schoolId: 5 },
  class_teacher: { id: 5, role: 'class_teacher', schoolId: 5, classId: 11 },
  subject_teacher: { id: 6, role: 'subject_teacher', schoolId: 5, classId: 11 },
};
const outOfScope: Record<Exclude<Role, 'county'>, Actor> = {
  town: { id: 12, role: 'town', townId: 3 },
  village: { id: 13, role: 'village', townId: 2, villageId: 8 },
  principal: { id: 14, role: 'principal', schoolId: 6 },
  class_teacher: { id: 15, role: 'class_teacher', schoolId: 5, classId: 12 },
  subject_teacher: { id: 16, role: 'subject_teacher', schoolId: 5, classId: 12 },
};

describe('scope on both lines', () => {
  for (const role of ROLES) {
    it(`${role} in scope sees the student`, () => expect(canSeeStudent(inScope[role], s)).toBe(true));
    if (role !== 'county') it(`${role} out of scope does not`, () => expect(canSeeStudent(outOfScope[role], s)).toBe(false));
  }
  it("the town of the student's school also sees them (school line)", () => {
    expect(canSeeStudent({ id: 9, role: 'town', townId: 1 }, s)).toBe(true);
  });
  it('an actor with no place sees nothing', () => {
    expect(canSeeStudent({ id: 9, role: 'principal' }, s)).toBe(false);
    expect(areaOf({ id: 9, role: 'class_teacher' })).toBeUndefined();
  });
});
