/**
 * 过错责任追究: when an alert climbs to the town or county for want of a home visit, everyone it was sent to at the
 * step that ended (and who has no record for it yet) is recorded with their role and whether they acknowledged it.
 * The county lists the records by school and by person.
 */
import type { Tx } from '../store/prisma.js';
import { localDate } from '../clock.js';
import { ROLE_LABELS, type Role } from '../domain/types.js';
import { addFaults, alertForFaults, faultsWhere, namesFor, peopleByStaffIdOrName, recordedFor, schoolNamed } from '../store/fault.repository.js';

/** Records who was responsible when an alert climbed to `level`; returns how many were recorded. */
export async function recordFaults(tx: Tx, alertId: number, level: 'town' | 'county', at: Date): Promise<number> {
  const found = await alertForFaults(tx, alertId);
  if (!found) return 0;
  const { alert, schoolId, roles } = found;
  const done = await recordedFor(tx, alertId);
  // County officials are where an alert ends, not a step of it.
  const due = alert.recipients.filter((r) => !done.has(r.personId) && r.notifiedAt <= at && roles.get(r.personId) !== 'county');
  return addFaults(
    tx,
    due.map((r) => ({
      alertId,
      studentId: alert.studentId,
      schoolId,
      personId: r.personId,
      role: roles.get(r.personId) ?? 'unknown',
      step: level,
      notifiedAt: r.notifiedAt,
      ackAt: r.ackAt,
      at,
    })),
  );
}

export type FaultFilter = { kind: 'all' } | { kind: 'school'; schoolId: number; name: string } | { kind: 'person'; personId: number; name: string };

const STEP = { town: '升级到镇', county: '升级到县' } as Record<string, string>;

/** zh-CN lines for the county: a summary by school and person, or one school's or person's records. No pupil names. */
export async function faultLines(tx: Tx, filter: FaultFilter, timeZone: string): Promise<string[]> {
  const rows = await faultsWhere(tx, filter.kind === 'school' ? { schoolId: filter.schoolId } : filter.kind === 'person' ? { personId: filter.personId } : {});
  const { people, schools } = await namesFor(
    tx,
    rows.map((r) => r.personId),
    rows.map((r) => r.schoolId),
  );
  const who = (id: number, role: string) =>
    `${people.get(id)?.name ?? `#${id}`}（${ROLE_LABELS[role as Role] ?? role}，工号 ${people.get(id)?.staffId ?? '?'}）`;
  if (rows.length === 0) return [`${filter.kind === 'all' ? '全县' : filter.name}没有过错记录。`];
  if (filter.kind === 'all') {
    const bySchool = new Map<number, number>();
    const byPerson = new Map<number, { n: number; role: string }>();
    for (const r of rows) {
      bySchool.set(r.schoolId, (bySchool.get(r.schoolId) ?? 0) + 1);
      byPerson.set(r.personId, { n: (byPerson.get(r.personId)?.n ?? 0) + 1, role: r.role });
    }
    return [
      `全县过错记录 ${rows.length} 条（预警升级时未登记家访的责任人）。按学校：`,
      ...[...bySchool].sort((a, b) => b[1] - a[1]).map(([id, n]) => `· ${schools.get(id) ?? `#${id}`}：${n} 条`),
      '按责任人：',
      ...[...byPerson]
        .sort((a, b) => b[1].n - a[1].n)
        .slice(0, 30)
        .map(([id, v]) => `· ${who(id, v.role)}：${v.n} 条`),
      '查看明细：过错记录 <学校名称或工号>',
    ];
  }
  return [
    `${filter.name}的过错记录 ${rows.length} 条：`,
    ...rows.map(
      (r) =>
        `· ${localDate(r.recordedAt, timeZone)} 预警 #${r.alertId} ${STEP[r.step] ?? r.step}：${filter.kind === 'person' ? `${schools.get(r.schoolId) ?? ''}，` : `${who(r.personId, r.role)}，`}${r.ackAt ? '已确认收到但未登记家访' : '未确认收到，也未登记家访'}`,
    ),
  ];
}

/** "学校名称" or "工号/姓名" → what to list, or a zh-CN reason. */
export async function faultFilterFor(tx: Tx, arg: string): Promise<FaultFilter | { error: string }> {
  const a = arg.trim();
  if (!a) return { kind: 'all' };
  const school = await schoolNamed(tx, a);
  if (school) return { kind: 'school', schoolId: school.id, name: school.name };
  const people = await peopleByStaffIdOrName(tx, a);
  if (people.length === 1) return { kind: 'person', personId: people[0]!.id, name: `${people[0]!.name}（工号 ${people[0]!.staffId}）` };
  if (people.length > 1) return { error: `“${a}”有 ${people.length} 人同名，请用工号：${people.map((p) => p.staffId).join('、')}` };
  return { error: `没有找到学校或人员“${a}”。` };
}

/** Per school, for the annual assessment: fault records and alerts among them, recorded between two days (local). */
export async function faultsBySchool(
  tx: Tx,
  from: string,
  to: string,
  timeZone: string,
): Promise<Map<number, { records: number; alerts: number; reachedCounty: number }>> {
  const rows = (await faultsWhere(tx, {})).filter((r) => {
    const d = localDate(r.recordedAt, timeZone);
    return from <= d && d <= to;
  });
  const out = new Map<number, { records: number; alerts: Set<number>; county: Set<number> }>();
  for (const r of rows) {
    const s = out.get(r.schoolId) ?? { records: 0, alerts: new Set<number>(), county: new Set<number>() };
    s.records++;
    s.alerts.add(r.alertId);
    if (r.step === 'county') s.county.add(r.alertId);
    out.set(r.schoolId, s);
  }
  return new Map([...out].map(([id, s]) => [id, { records: s.records, alerts: s.alerts.size, reachedCounty: s.county.size }]));
}
