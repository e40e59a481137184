/**
 * Onboarding staff at once: fresh one-time codes for everyone not yet bound in a school, a town or the county,
 * laid out per school (people outside schools: per town, and the county's own), written as PDF and .xlsx.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Deps } from './deps.js';
import { issueInvites } from './invites.js';
import { peopleWithAccount } from '../store/account.repository.js';
import { staffDirectory, type StaffDirectory } from '../store/invite.repository.js';
import { ROLES, type Role } from '../domain/types.js';
import { clockLabel, localParts } from '../domain/zoned-time.js';
import type { InviteSection, InviteSheets } from '../reports/invite-sheet-model.js';
import { inviteSheetPdf } from '../reports/invite-sheet.pdf.js';
import { inviteSheetXlsx } from '../reports/invite-sheet.xlsx.js';
import { withWriteTransaction } from '../store/write.js';

export type InviteScope = { kind: 'school'; name: string } | { kind: 'town'; name: string } | { kind: 'county' };

export class InviteScopeError extends Error {}

type Person = StaffDirectory['people'][number];

function localTime(at: Date, timeZone: string): { long: string; short: string } {
  const p = localParts(at, timeZone);
  const [y, m, d] = p.date.split('-').map(Number);
  return { long: `${y}年${m}月${d}日 ${clockLabel(p.minutes)}`, short: `${p.date} ${clockLabel(p.minutes)}` };
}

/** Sections of the scope, in print order (county, then each town's own sheet followed by its schools), unfilled. */
function sectionsOf(dir: StaffDirectory, scope: InviteScope): Map<string, InviteSection> {
  const out = new Map<string, InviteSection>();
  const townName = new Map(dir.towns.map((t) => [t.id, t.name]));
  const addSchool = (s: StaffDirectory['schools'][number]) =>
    out.set(`school:${s.id}`, { kind: 'school', title: s.name, place: `${dir.countyName} ${townName.get(s.townId) ?? ''}`.trim(), entries: [] });
  if (scope.kind === 'school') {
    const s = dir.schools.find((x) => x.name === scope.name);
    if (!s) throw new InviteScopeError(`没有找到学校“${scope.name}”。示例：npm run cli -- invite --school ${dir.schools[0]?.name ?? '青石镇中心小学'}`);
    addSchool(s);
    return out;
  }
  const towns = scope.kind === 'town' ? dir.towns.filter((t) => t.name === scope.name) : dir.towns;
  if (towns.length === 0)
    throw new InviteScopeError(
      `没有找到乡镇“${scope.kind === 'town' ? scope.name : ''}”。示例：npm run cli -- invite --town ${dir.towns[0]?.name ?? '青石镇'}`,
    );
  if (scope.kind === 'county') out.set('county', { kind: 'county', title: `${dir.countyName}（县教育局）`, place: dir.countyName, entries: [] });
  for (const t of towns) {
    out.set(`town:${t.id}`, { kind: 'town', title: `${t.name}（镇、村干部）`, place: `${dir.countyName} ${t.name}`, entries: [] });
    for (const s of dir.schools.filter((x) => x.townId === t.id).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))) addSchool(s);
  }
  return out;
}

/** Which sheet a person belongs on: their school, else their town (or their village's), else the county. */
function sectionKey(p: Person, villageTown: Map<number, number>): string {
  if (p.schoolId != null) return `school:${p.schoolId}`;
  const townId = p.townId ?? (p.villageId != null ? villageTown.get(p.villageId) : undefined);
  return townId != null ? `town:${townId}` : 'county';
}

function roleText(p: Person, dir: { classes: Map<number, string>; villages: Map<number, string>; towns: Map<number, string> }): string {
  const where =
    p.role === 'class_teacher' && p.classId != null
      ? dir.classes.get(p.classId)
      : p.role === 'village' && p.villageId != null
        ? dir.villages.get(p.villageId)
        : p.role === 'town' && p.townId != null
          ? dir.towns.get(p.townId)
          : undefined;
  const label =
    ({ county: '县教育局', town: '乡镇干部', village: '村干部', principal: '校长', class_teacher: '班主任', subject_teacher: '任课教师' } as const)[
      p.role as Role
    ] ?? p.role;
  return where ? `${label} · ${where}` : label;
}

/** Issues fresh codes for the unbound people of the scope (replacing their unused codes) and lays out the sheets. */
export async function prepareInviteSheets(deps: Deps, scope: InviteScope): Promise<{ sheets: InviteSheets; alreadyBound: number }> {
  const dir = await staffDirectory(deps.db);
  const sections = sectionsOf(dir, scope);
  const villageTown = new Map(dir.villages.map((v) => [v.id, v.townId]));
  const inScope = dir.people.filter((p) => sections.has(sectionKey(p, villageTown)));
  const bound = await peopleWithAccount(
    deps.db,
    inScope.map((p) => p.id),
  );
  const chosen = inScope.filter((p) => !bound.has(p.id));
  const classOrder = new Map(
    dir.classes.map((c) => [c.id, `${c.stage === 'primary' ? 0 : 1}${String(c.grade).padStart(2, '0')}${String(c.classNo).padStart(3, '0')}`]),
  );
  const key = (p: Person) => `${ROLES.indexOf(p.role as Role)}|${p.classId != null ? (classOrder.get(p.classId) ?? '') : ''}|${p.villageId ?? ''}|${p.staffId}`;
  chosen.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const { codes, expiresAt } = await withWriteTransaction(
    deps.db,
    (tx) =>
      issueInvites(
        deps,
        tx,
        chosen.map((p) => p.id),
      ),
    { timeout: 120_000 },
  );
  const names = {
    classes: new Map(dir.classes.map((c) => [c.id, c.name])),
    villages: new Map(dir.villages.map((v) => [v.id, v.name])),
    towns: new Map(dir.towns.map((t) => [t.id, t.name])),
  };
  const bot = deps.config.TELEGRAM_BOT_TOKEN ? deps.config.TELEGRAM_BOT_USERNAME : undefined;
  for (const p of chosen) {
    const code = codes.get(p.id)!;
    sections.get(sectionKey(p, villageTown))!.entries.push({
      name: p.name,
      staffId: p.staffId,
      role: roleText(p, names),
      code,
      ...(bot ? { link: `https://t.me/${bot}?start=${code}` } : {}),
    });
  }
  const scopeName = scope.kind === 'county' ? dir.countyName : scope.name;
  return {
    sheets: {
      scopeName,
      generatedAt: localTime(deps.clock.now(), deps.config.TIMEZONE).long,
      expiresAt: localTime(expiresAt, deps.config.TIMEZONE).long,
      expiresShort: localTime(expiresAt, deps.config.TIMEZONE).short,
      ...(bot ? { botUsername: bot } : {}),
      sections: [...sections.values()].filter((s) => s.entries.length > 0),
    },
    alreadyBound: bound.size,
  };
}

/** Writes the sheets as one PDF (a page break per school) and one .xlsx (a worksheet per school) into a folder. */
export async function writeInviteSheets(sheets: InviteSheets, folder: string, localDate: string): Promise<string[]> {
  fs.mkdirSync(folder, { recursive: true });
  const base = `邀请码-${sheets.scopeName.replace(/[\\/:*?"<>|\s]+/g, '_')}-${localDate}`;
  const pdf = path.join(folder, `${base}.pdf`);
  const xlsx = path.join(folder, `${base}.xlsx`);
  fs.writeFileSync(pdf, await inviteSheetPdf(sheets));
  fs.writeFileSync(xlsx, await inviteSheetXlsx(sheets));
  return [pdf, xlsx];
}
