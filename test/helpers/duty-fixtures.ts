/**
 * Test-only county builder for duties at real size: towns, villages, schools, classes, students and every role, written
 * with chunked multi-row inserts (each under SQLite's 999 bound values), then attendance marks, alerts and group
 * bindings in bulk. Not the importer: it checks nothing and exists to make big databases fast.
 */
import type { Db } from '../../src/store/prisma.js';

export interface CountyShape {
  towns: number;
  villagesPerTown: number;
  schoolsPerTown: number;
  classesPerSchool: number;
  studentsPerClass: number;
}

export interface CountyFixture {
  townIds: number[];
  villageIds: number[];
  schools: { id: number; townId: number }[];
  classes: { id: number; schoolId: number }[];
  /** Student ids in class order (class by class). */
  studentIds: number[];
  /** Class teacher of each class (person id). */
  teacherOf: Map<number, number>;
}

/** Runs `insert` on rows in chunks sized so that rows × columns stays under 999 bound values. */
export async function insertChunked<T extends object>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  if (rows.length === 0) return;
  const size = Math.max(1, Math.floor(900 / Object.keys(rows[0]!).length));
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

const ids = async (rows: Promise<{ id: number }[]>) => (await rows).map((r) => r.id);

export async function buildCounty(db: Db, shape: CountyShape, at: Date): Promise<CountyFixture> {
  const county = await db.county.create({ data: { name: '测试县' } });
  await insertChunked(
    Array.from({ length: shape.towns }, (_, t) => ({ countyId: county.id, name: `第${t + 1}镇` })),
    (data) => db.town.createMany({ data }),
  );
  const townIds = await ids(db.town.findMany({ where: { countyId: county.id }, orderBy: { id: 'asc' }, select: { id: true } }));
  await insertChunked(
    townIds.flatMap((townId, t) => Array.from({ length: shape.villagesPerTown }, (_, v) => ({ townId, name: `${t + 1}镇${v + 1}村` }))),
    (data) => db.village.createMany({ data }),
  );
  const villages = await db.village.findMany({ orderBy: { id: 'asc' }, select: { id: true, townId: true } });
  await insertChunked(
    townIds.flatMap((townId, t) =>
      Array.from({ length: shape.schoolsPerTown }, (_, s) => ({ countyId: county.id, townId, name: `${t + 1}镇第${s + 1}小学`, kind: 'primary' })),
    ),
    (data) => db.school.createMany({ data }),
  );
  const schools = await db.school.findMany({ orderBy: { id: 'asc' }, select: { id: true, townId: true } });
  await insertChunked(
    schools.flatMap((s) =>
      Array.from({ length: shape.classesPerSchool }, (_, i) => ({
        schoolId: s.id,
        stage: 'primary',
        grade: 1 + (i % 6),
        classNo: 1 + Math.floor(i / 6),
        name: `${1 + (i % 6)}(${1 + Math.floor(i / 6)})班`,
      })),
    ),
    (data) => db.schoolClass.createMany({ data }),
  );
  const classes = await db.schoolClass.findMany({ orderBy: { id: 'asc' }, select: { id: true, schoolId: true } });
  const townOf = new Map(schools.map((s) => [s.id, s.townId]));
  const villagesOf = new Map<number, number[]>();
  for (const v of villages) villagesOf.set(v.townId, [...(villagesOf.get(v.townId) ?? []), v.id]);
  let n = 0;
  await insertChunked(
    classes.flatMap((c) =>
      Array.from({ length: shape.studentsPerClass }, () => {
        const near = villagesOf.get(townOf.get(c.schoolId)!)!;
        n++;
        return {
          studentNo: `G${String(n).padStart(9, '0')}`,
          name: `学生${n}`,
          gender: n % 2 ? 'M' : 'F',
          classId: c.id,
          villageId: near[n % near.length]!,
          updatedAt: at,
        };
      }),
    ),
    (data) => db.student.createMany({ data }),
  );
  const studentIds = await ids(db.student.findMany({ orderBy: [{ classId: 'asc' }, { id: 'asc' }], select: { id: true } }));
  const person = (staffId: string, role: string, place: { townId?: number; villageId?: number; schoolId?: number; classId?: number }) => ({
    staffId,
    name: `${role}${staffId}`,
    role,
    townId: place.townId ?? null,
    villageId: place.villageId ?? null,
    schoolId: place.schoolId ?? null,
    classId: place.classId ?? null,
    updatedAt: at,
  });
  await insertChunked(
    [
      person('C0001', 'county', {}),
      ...townIds.map((townId) => person(`Z${townId}`, 'town', { townId })),
      ...villages.map((v) => person(`V${v.id}`, 'village', { townId: v.townId, villageId: v.id })),
      ...schools.map((s) => person(`P${s.id}`, 'principal', { townId: s.townId, schoolId: s.id })),
      ...classes.map((c) => person(`T${c.id}`, 'class_teacher', { townId: townOf.get(c.schoolId)!, schoolId: c.schoolId, classId: c.id })),
    ],
    (data) => db.person.createMany({ data }),
  );
  const teachers = await db.person.findMany({ where: { role: 'class_teacher' }, select: { id: true, classId: true } });
  return { townIds, villageIds: villages.map((v) => v.id), schools, classes, studentIds, teacherOf: new Map(teachers.map((t) => [t.classId!, t.id])) };
}

/** Appends marks (the latest per student and date is in force), reported by the student's class teacher. */
export async function addMarks(db: Db, f: CountyFixture, marks: { studentId: number; date: string; status: string }[], at: Date): Promise<void> {
  const classOf = new Map<number, number>();
  for (const s of await db.student.findMany({ select: { id: true, classId: true } })) classOf.set(s.id, s.classId);
  await insertChunked(
    marks.map((m) => ({
      studentId: m.studentId,
      date: m.date,
      status: m.status,
      reportedById: f.teacherOf.get(classOf.get(m.studentId)!)!,
      chatRef: 'console:group:fixture',
      recordedAt: at,
    })),
    (data) => db.attendanceMark.createMany({ data }),
  );
}

/** Open alerts as the ladder would have raised them (no recipients). */
export async function addOpenAlerts(
  db: Db,
  alerts: { studentId: number; step: string; streakSince: string; streakDays: number; raisedOn: string }[],
  at: Date,
): Promise<void> {
  await insertChunked(
    alerts.map((a) => ({ ...a, createdAt: at, remindAfterMin: 120, visitWithinMin: 1440 })),
    (data) => db.alert.createMany({ data }),
  );
}

/** "Attendance taken" for classes on a date (今天全到). */
export async function takeAttendance(db: Db, f: CountyFixture, classIds: number[], date: string, at: Date): Promise<void> {
  await insertChunked(
    classIds.map((classId) => ({ classId, date, reportedById: f.teacherOf.get(classId)!, chatRef: `console:group:g${classId}`, recordedAt: at })),
    (data) => db.classAttendance.createMany({ data }),
  );
}

/** Binds one group chat to each class, by its class teacher. */
export async function bindGroups(db: Db, f: CountyFixture, at: Date): Promise<void> {
  await insertChunked(
    f.classes.map((c) => ({ chatRef: `console:group:g${c.id}`, classId: c.id, boundById: f.teacherOf.get(c.id)!, boundAt: at })),
    (data) => db.groupBinding.createMany({ data }),
  );
}
