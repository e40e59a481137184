/** Invite sheets for a school, a town and the county: read back from the PDF and the .xlsx, codes redeemed for real. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractText, getDocumentProxy } from 'unpdf';
import ExcelJS from 'exceljs';
import { makeApp, type TestApp } from '../helpers/app.js';
import { handleIncoming } from '../../src/core/router.js';
import { createInviteCode } from '../../src/core/commands/binding.js';
import { prepareInviteSheets, writeInviteSheets, type InviteScope } from '../../src/services/invite-sheets.js';

const SCHOOL = '青石镇中心小学';
const LONG_NAME = '阿卜杜热合曼·买买提艾力·吐尔逊巴依·司马义江';
let app: TestApp;
let seq = 0;
let run = 0;

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-20T08:00:00+08:00', env: { TELEGRAM_BOT_TOKEN: '123456:TEST', TELEGRAM_BOT_USERNAME: '@kcbx_bot' } });
  const school = await app.deps.db.school.findFirstOrThrow({ where: { name: SCHOOL } });
  const [a, b] = await app.deps.db.person.findMany({ where: { schoolId: school.id, role: 'subject_teacher' }, orderBy: { id: 'asc' } });
  await app.deps.db.person.update({ where: { id: a!.id }, data: { name: LONG_NAME } });
  if (b) await app.deps.db.person.update({ where: { id: b.id }, data: { name: '=HYPERLINK("http://x")' } });
});
afterAll(async () => app?.close());

async function dm(account: string, text: string): Promise<string> {
  const last = (await app.deps.db.outbox.findFirst({ orderBy: { id: 'desc' } }))?.id ?? 0;
  await handleIncoming(app.deps, {
    platform: 'telegram',
    accountId: account,
    chat: { platform: 'telegram', kind: 'dm', id: account },
    text,
    platformMessageId: `i${++seq}`,
  });
  const out = await app.deps.db.outbox.findMany({ where: { id: { gt: last }, chatRef: `telegram:dm:${account}` } });
  return out.map((o) => o.text).join('\n');
}

/** Writes the sheets and reads them back: PDF text, and per worksheet the rows keyed by 工号. */
async function sheetsFor(scope: InviteScope) {
  const { sheets } = await prepareInviteSheets(app.deps, scope);
  const files = await writeInviteSheets(sheets, path.join(app.dir, `out${++run}`), '2026-11-20');
  const pdfFile = files.find((f) => f.endsWith('.pdf'))!;
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(fs.readFileSync(pdfFile))), { mergePages: true });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(files.find((f) => f.endsWith('.xlsx'))!);
  const rows = new Map<string, { sheet: string; cells: string[] }>();
  wb.eachSheet((ws) =>
    ws.eachRow((row, n) => {
      if (n <= 2) return;
      const cells = (row.values as unknown[]).slice(1).map((v) => String(v ?? ''));
      rows.set(cells[2]!, { sheet: ws.name, cells });
    }),
  );
  return { sheets, pdfText: text.replace(/\s+/g, ''), rows, files };
}

async function schoolPeople() {
  const school = await app.deps.db.school.findFirstOrThrow({ where: { name: SCHOOL } });
  return app.deps.db.person.findMany({ where: { schoolId: school.id, active: true }, orderBy: { id: 'asc' } });
}

describe('invite sheets', () => {
  it('list every unbound person of the school with a working code, local expiry and deep link; bound people are left out; re-running voids the earlier codes', async () => {
    const people = await schoolPeople();
    const boundOne = people.find((p) => p.role === 'class_teacher')!;
    expect(await dm('b1', `绑定 ${(await createInviteCode(app.deps, boundOne.id)).code}`)).toContain('绑定成功');

    const first = await sheetsFor({ kind: 'school', name: SCHOOL });
    const second = await sheetsFor({ kind: 'school', name: SCHOOL });
    const unbound = people.filter((p) => p.id !== boundOne.id);
    expect(second.sheets.sections.map((s) => s.title)).toEqual([SCHOOL]);
    expect([...second.rows.keys()].sort()).toEqual(unbound.map((p) => p.staffId).sort());
    expect(second.pdfText).not.toContain(boundOne.name);
    expect(second.pdfText).toContain('2026年11月23日08:00');
    for (const p of unbound) {
      const cells = second.rows.get(p.staffId)!.cells;
      const code = cells[4]!;
      expect(code).toMatch(/^[A-Z2-9]{8}$/);
      expect(second.pdfText).toContain(p.name.replace(/\s+/g, '')); // wrapped, never cut
      expect(second.pdfText).toContain(code);
      expect(cells[6]).toBe('2026-11-23 08:00');
      expect(cells[7]).toBe(`https://t.me/kcbx_bot?start=${code}`);
    }
    for (const [i, p] of unbound.entries()) {
      expect(await dm(`old${i}`, `绑定 ${first.rows.get(p.staffId)!.cells[4]}`)).toContain('无法使用');
      expect(await dm(`new${i}`, `/start ${second.rows.get(p.staffId)!.cells[4]}`)).toContain('绑定成功');
      expect(await dm(`new${i}`, '我是谁')).toContain(p.staffId);
    }
    const third = await sheetsFor({ kind: 'school', name: SCHOOL });
    expect(third.sheets.sections).toEqual([]);
    expect(third.pdfText).toContain('所有人员都已经绑定了账号');
  });

  it('neutralises cell text a spreadsheet would read as a formula', async () => {
    const p = await app.deps.db.person.findFirstOrThrow({ where: { name: { startsWith: '=' } } });
    await app.deps.db.chatAccount.updateMany({ where: { personId: p.id }, data: { revokedAt: app.clock.now() } });
    const { rows } = await sheetsFor({ kind: 'school', name: SCHOOL });
    expect(rows.get(p.staffId)!.cells[1]).toBe(`'${p.name}`);
  });

  it('a town: one sheet for its officials and village cadres, one per school; the county adds its own', async () => {
    const town = await app.deps.db.town.findFirstOrThrow({ orderBy: { id: 'asc' } });
    const t = await sheetsFor({ kind: 'town', name: town.name });
    const titles = t.sheets.sections.map((s) => s.title);
    expect(titles[0]).toContain(town.name);
    const townStaff = await app.deps.db.person.findMany({ where: { role: { in: ['town', 'village'] }, townId: town.id } });
    expect(townStaff.length).toBeGreaterThan(0);
    for (const p of townStaff) expect(t.rows.get(p.staffId)?.sheet).toBe(t.sheets.sections[0]!.title.slice(0, 28));
    const schools = await app.deps.db.school.findMany({ where: { townId: town.id } });
    expect(titles.slice(1).sort()).toEqual(schools.map((s) => s.name).sort()); // the school again: one person was unbound above
    const c = await sheetsFor({ kind: 'county' });
    const county = await app.deps.db.person.findFirstOrThrow({ where: { role: 'county' } });
    expect(c.sheets.sections[0]!.kind).toBe('county');
    expect(c.rows.has(county.staffId)).toBe(true);
    expect(c.pdfText).toContain(county.name);
  });

  it('an unknown school or town changes nothing and names an example', async () => {
    const before = await app.deps.db.inviteCode.count();
    await expect(prepareInviteSheets(app.deps, { kind: 'school', name: '不存在小学' })).rejects.toThrow(/没有找到学校“不存在小学”。示例：/);
    expect(await app.deps.db.inviteCode.count()).toBe(before);
  });

  it('the CLI writes the sheets where --out says and prints the files', async () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const out = path.join(app.dir, 'cli-out');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'invite', '--town', '青石镇', '--out', out], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: app.deps.config.DATABASE_URL, TELEGRAM_BOT_TOKEN: '', TELEGRAM_BOT_USERNAME: '' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const files = [...r.stdout.matchAll(/已写入 (.+)$/gm)].map((m) => m[1]!);
    expect(files.map((f) => path.extname(f)).sort()).toEqual(['.pdf', '.xlsx']);
    for (const f of files) expect(path.dirname(f)).toBe(out);
    for (const f of files) expect(fs.statSync(f).size).toBeGreaterThan(1000);
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'invite', '--school', '不存在小学'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: app.deps.config.DATABASE_URL },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('没有找到学校');
  });
});
