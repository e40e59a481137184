/**
 * Writes a validated roster in one transaction, keyed by 学籍号 and 工号: the same file twice changes nothing,
 * a changed file updates in place. Rows absent from the file are left untouched (and counted).
 */
import type { Db, Tx } from './prisma.js';
import type { Roster } from '../roster/types.js';

export interface ImportSummary {
  created: { students: number; people: number; schools: number; classes: number; towns: number; villages: number };
  updated: { students: number; people: number };
  unchanged: { students: number; people: number };
  notInFile: { students: number; people: number };
}

export class DemoCountyError extends Error {}

/**
 * `transferInOn`: the import's date when it happens during a term — students that a later import adds are then
 * recorded as transferred in on that day (the first import only sets up the roll).
 */
export async function importRoster(db: Db, roster: Roster, opts: { countyName: string; demo?: boolean; at: Date; transferInOn?: string }): Promise<ImportSummary> {
  return db.$transaction(async (tx) => {
    let county = await tx.county.findFirst({ orderBy: { id: 'asc' } });
    if (county && county.demo !== Boolean(opts.demo)) {
      throw new DemoCountyError(
        county.demo
          ? '这个数据库里是示范县的演示数据，不能导入真实名册。请在 .env 中把 DATABASE_URL 指向新的数据库文件后再导入。'
          : '这个数据库里已经有真实名册，不能写入示范县数据。',
      );
    }
    const firstImport = !county;
    county ??= await tx.county.create({ data: { name: opts.countyName, demo: Boolean(opts.demo), createdAt: opts.at } });
    const s: ImportSummary = {
      created: { students: 0, people: 0, schools: 0, classes: 0, towns: 0, villages: 0 },
      updated: { students: 0, people: 0 },
      unchanged: { students: 0, people: 0 },
      notInFile: { students: 0, people: 0 },
    };
    const townIds = new Map<string, number>();
    const villageIds = new Map<string, number>();
    for (const t of roster.towns) {
      const town = await findOrCreate(tx.town, { countyId_name: { countyId: county.id, name: t.name } }, { countyId: county.id, name: t.name }, () => s.created.towns++);
      townIds.set(t.name, town.id);
      for (const v of t.villages) {
        const village = await findOrCreate(tx.village, { townId_name: { townId: town.id, name: v } }, { townId: town.id, name: v }, () => s.created.villages++);
        villageIds.set(`${t.name}|${v}`, village.id);
      }
    }
    const schoolIds = new Map<string, number>();
    for (const sc of roster.schools) {
      const townId = townIds.get(sc.town)!;
      const existing = await tx.school.findUnique({ where: { countyId_name: { countyId: county.id, name: sc.name } } });
      if (!existing) s.created.schools++;
      else if (existing.kind !== sc.kind || existing.townId !== townId) await tx.school.update({ where: { id: existing.id }, data: { kind: sc.kind, townId } });
      const row = existing ?? (await tx.school.create({ data: { countyId: county.id, townId, name: sc.name, kind: sc.kind } }));
      schoolIds.set(sc.name, row.id);
    }
    const classIds = new Map<string, number>();
    for (const st of roster.students) {
      const schoolId = schoolIds.get(st.school)!;
      const key = `${st.school}|${st.className}`;
      if (classIds.has(key)) continue;
      const where = { schoolId_stage_grade_classNo: { schoolId, stage: st.stage, grade: st.grade, classNo: st.classNo } };
      const cls = await findOrCreate(tx.schoolClass, where, { schoolId, stage: st.stage, grade: st.grade, classNo: st.classNo, name: st.className }, () => s.created.classes++);
      classIds.set(key, cls.id);
    }
    for (const st of roster.students) {
      const data = {
        name: st.name,
        gender: st.gender,
        classId: classIds.get(`${st.school}|${st.className}`)!,
        villageId: villageIds.get(`${st.town}|${st.village}`)!,
        groupName: st.group ?? null,
        guardian: st.guardian ?? null,
        guardianPhone: st.guardianPhone ?? null,
        attention: [...st.attention].sort().join(','),
      };
      const existing = await tx.student.findUnique({ where: { studentNo: st.studentNo } });
      if (!existing) {
        const created = await tx.student.create({ data: { studentNo: st.studentNo, ...data } });
        if (!firstImport && opts.transferInOn) await tx.registerEvent.create({ data: { studentId: created.id, change: 'transferred_in', on: opts.transferInOn, byId: 0, recordedAt: opts.at } });
        s.created.students++;
      } else if (differs(existing, data)) {
        await tx.student.update({ where: { id: existing.id }, data });
        s.updated.students++;
      } else s.unchanged.students++;
    }
    for (const p of roster.people) {
      const schoolId = p.school ? (schoolIds.get(p.school) ?? null) : null;
      const townId = p.town ? (townIds.get(p.town) ?? null) : null;
      const data = {
        name: p.name,
        role: p.role,
        townId,
        villageId: p.town && p.village ? (villageIds.get(`${p.town}|${p.village}`) ?? null) : null,
        schoolId,
        classId: p.school && p.className ? (classIds.get(`${p.school}|${p.className}`) ?? null) : null,
        phone: p.phone ?? null,
        active: true,
      };
      const existing = await tx.person.findUnique({ where: { staffId: p.staffId } });
      if (!existing) {
        await tx.person.create({ data: { staffId: p.staffId, ...data } });
        s.created.people++;
      } else if (differs(existing, data)) {
        await tx.person.update({ where: { id: existing.id }, data });
        s.updated.people++;
      } else s.unchanged.people++;
    }
    s.notInFile.students = await tx.student.count({ where: { studentNo: { notIn: roster.students.map((x) => x.studentNo) } } });
    s.notInFile.people = await tx.person.count({ where: { staffId: { notIn: roster.people.map((x) => x.staffId) } } });
    const changed = Object.values(s.created).some((n) => n > 0) || s.updated.students + s.updated.people > 0;
    if (changed) await tx.auditLog.create({ data: { at: opts.at, action: opts.demo ? 'seed_demo' : 'import', detail: JSON.stringify(s) } });
    return s;
  }, { timeout: 120_000 });
}

function differs(row: Record<string, unknown>, data: Record<string, unknown>): boolean {
  return Object.entries(data).some(([k, v]) => row[k] !== v);
}

interface Delegate<W, C, R> {
  findUnique(args: { where: W }): Promise<R | null>;
  create(args: { data: C }): Promise<R>;
}

async function findOrCreate<W, C, R>(d: Delegate<W, C, R>, where: W, data: C, onCreate: () => void): Promise<R> {
  const found = await d.findUnique({ where });
  if (found) return found;
  onCreate();
  return d.create({ data });
}

export type { Tx };
