/**
 * The places a roster names — towns, villages, schools, classes — written set-based: each table's rows of this county
 * are read once, the missing ones created in one createMany, and the ids kept by name for the people and students.
 */
import type { Tx } from './prisma.js';
import type { Roster } from '../roster/types.js';

export interface PlaceIds {
  town: Map<string, number>;
  /** `${town}|${village}` */
  village: Map<string, number>;
  school: Map<string, number>;
  /** `${school}|${className}` */
  class: Map<string, number>;
}

export interface PlacesCreated {
  towns: number;
  villages: number;
  schools: number;
  classes: number;
}

export async function writePlaces(tx: Tx, countyId: number, roster: Roster): Promise<{ ids: PlaceIds; created: PlacesCreated }> {
  const created: PlacesCreated = { towns: 0, villages: 0, schools: 0, classes: 0 };

  const readTowns = async () => new Map((await tx.town.findMany({ where: { countyId }, select: { id: true, name: true } })).map((t) => [t.name, t.id]));
  let town = await readTowns();
  const newTowns = roster.towns.filter((t) => !town.has(t.name));
  if (newTowns.length) {
    created.towns = (await tx.town.createMany({ data: newTowns.map((t) => ({ countyId, name: t.name })) })).count;
    town = await readTowns();
  }

  const townName = new Map([...town].map(([name, id]) => [id, name]));
  const readVillages = async () =>
    new Map(
      (await tx.village.findMany({ where: { town: { countyId } }, select: { id: true, name: true, townId: true } })).map((v) => [
        `${townName.get(v.townId)}|${v.name}`,
        v.id,
      ]),
    );
  let village = await readVillages();
  const newVillages = roster.towns.flatMap((t) =>
    t.villages.filter((v) => !village.has(`${t.name}|${v}`)).map((v) => ({ townId: town.get(t.name)!, name: v })),
  );
  if (newVillages.length) {
    created.villages = (await tx.village.createMany({ data: newVillages })).count;
    village = await readVillages();
  }

  const readSchools = () => tx.school.findMany({ where: { countyId }, select: { id: true, name: true, kind: true, townId: true } });
  const existingSchools = new Map((await readSchools()).map((s) => [s.name, s]));
  const newSchools = [];
  for (const sc of roster.schools) {
    const townId = town.get(sc.town)!;
    const found = existingSchools.get(sc.name);
    if (!found) newSchools.push({ countyId, townId, name: sc.name, kind: sc.kind });
    else if (found.kind !== sc.kind || found.townId !== townId) await tx.school.update({ where: { id: found.id }, data: { kind: sc.kind, townId } });
  }
  if (newSchools.length) created.schools = (await tx.school.createMany({ data: newSchools })).count;
  const school = new Map((newSchools.length ? await readSchools() : [...existingSchools.values()]).map((s) => [s.name, s.id]));

  // Classes are keyed by their numbers; the name is derived from them and never rewritten.
  const schoolName = new Map([...school].map(([name, id]) => [id, name]));
  const readClasses = async () =>
    new Map(
      (await tx.schoolClass.findMany({ where: { school: { countyId } }, select: { id: true, schoolId: true, stage: true, grade: true, classNo: true } })).map(
        (c) => [`${schoolName.get(c.schoolId)}|${c.stage}|${c.grade}|${c.classNo}`, c.id],
      ),
    );
  let byNumbers = await readClasses();
  const wanted = new Map<string, { schoolId: number; stage: string; grade: number; classNo: number; name: string; label: string }>();
  for (const st of roster.students) {
    const key = `${st.school}|${st.stage}|${st.grade}|${st.classNo}`;
    if (!wanted.has(key))
      wanted.set(key, {
        schoolId: school.get(st.school)!,
        stage: st.stage,
        grade: st.grade,
        classNo: st.classNo,
        name: st.className,
        label: `${st.school}|${st.className}`,
      });
  }
  const newClasses = [...wanted]
    .filter(([key]) => !byNumbers.has(key))
    .map(([, c]) => ({ schoolId: c.schoolId, stage: c.stage, grade: c.grade, classNo: c.classNo, name: c.name }));
  if (newClasses.length) {
    created.classes = (await tx.schoolClass.createMany({ data: newClasses })).count;
    byNumbers = await readClasses();
  }
  const cls = new Map([...wanted].map(([key, c]) => [c.label, byNumbers.get(key)!]));
  return { ids: { town, village, school, class: cls }, created };
}
