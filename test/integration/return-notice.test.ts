/**
 * 返校通知: the town official issues the notice and gets the printable 《义务教育学生返校复学通知书》 by direct message,
 * addressed to the guardian, with the legal basis, the deadline and whom to contact; nothing naming the pupil goes
 * into a group chat.
 */
import fs from 'node:fs';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import type { Delivered } from '../../src/console/session.js';

let app: TestApp;
let teacher: { staffId: string; classId: number | null; name: string };
let principal: { staffId: string };
let cadre: { staffId: string };
let town: { id: number; staffId: string; name: string };
let pupil: { id: number; name: string; studentNo: string; guardian: string | null };
const all: Delivered[] = [];

const say = async (who: string, text: string, chat = 'dm') => {
  const out = (await app.session.say(who, chat, text)).delivered;
  all.push(...out);
  return out;
};
const day = (d: string) => app.clock.set(`${d}T08:30:00+08:00`);

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-18T08:30:00+08:00' });
  const db = app.deps.db;
  teacher = await db.person.findFirstOrThrow({ where: { role: 'class_teacher' }, orderBy: { id: 'desc' } });
  await db.person.update({ where: { staffId: teacher.staffId }, data: { phone: '13912345678' } });
  const s = await db.student.findFirstOrThrow({ where: { classId: teacher.classId! }, include: { village: true, class: true }, orderBy: { id: 'asc' } });
  pupil = await db.student.update({ where: { id: s.id }, data: { guardian: '欧阳建国' } });
  principal = await db.person.findFirstOrThrow({ where: { role: 'principal', schoolId: s.class.schoolId } });
  cadre = await db.person.findFirstOrThrow({ where: { role: 'village', villageId: s.villageId } });
  town = await db.person.findFirstOrThrow({ where: { role: 'town', townId: s.village.townId } });
  for (const d of ['2026-11-18', '2026-11-19', '2026-11-20']) {
    day(d);
    await say(teacher.staffId, `缺勤 ${pupil.studentNo} 旷课`);
  }
  await say(cadre.staffId, `家访 ${pupil.studentNo} 厌学 拒绝返校`);
  await say(principal.staffId, `确认辍学 ${pupil.studentNo}`);
}, 60_000);
afterAll(async () => app?.close());

async function pdfText(file: string): Promise<string> {
  const pdf = await getDocumentProxy(new Uint8Array(fs.readFileSync(file)));
  const { text } = await extractText(pdf, { mergePages: true });
  return text.replace(/\s+/g, '');
}

describe('返校通知', () => {
  it('the official gets the notice as a PDF by direct message: guardian, pupil, school, legal basis, deadline, contacts', async () => {
    day('2026-11-23');
    const out = await say(town.staffId, `返校通知 ${pupil.studentNo} 12-10`);
    const files = out.filter((d) => d.attachment);
    expect(files).toHaveLength(1);
    expect(files[0]!.chat).toBe('dm');
    expect(files[0]!.to).toBe(town.staffId);
    const file = /\((.+\.pdf)\)$/.exec(files[0]!.attachment!)![1]!;
    expect(file).toMatch(/义务教育学生返校复学通知书/);
    const text = await pdfText(file);
    expect(text).toContain('义务教育学生返校复学通知书');
    expect(text).toContain('欧阳建国（学生');
    expect(text).toContain(pupil.name);
    expect(text).toContain(pupil.studentNo);
    for (const article of ['第五条', '第十一条', '第五十八条']) expect(text).toContain(article);
    expect(text).toContain('《中华人民共和国义务教育法》');
    expect(text).toContain('于2026年12月10日前送');
    expect(text).toContain('13912345678'); // the class teacher's phone
    expect(text).toContain(teacher.name);
    expect(text).toContain('人民政府（盖章）');
    expect(text).toContain('2026年11月23日');
    expect(text).toContain('回执');
  });

  it('refused without a deadline: no file, nothing written', async () => {
    const out = await say(town.staffId, `返校通知 ${pupil.studentNo}`);
    expect(out.every((d) => !d.attachment)).toBe(true);
    expect(out[0]!.text).toContain('期限');
  });

  it('asked in a group, it refuses without naming the pupil and sends no file there', async () => {
    const out = await say(town.staffId, `返校通知 ${pupil.studentNo} 12-11`, '教师群');
    expect(out.length).toBeGreaterThan(0);
    expect(out.every((d) => !d.attachment)).toBe(true);
    for (const d of out.filter((x) => x.chat !== 'dm')) {
      expect(d.text).not.toContain(pupil.name);
      expect(d.attachment).toBeUndefined();
    }
    expect(all.filter((d) => d.chat !== 'dm').every((d) => !d.text.includes(pupil.name) && !d.attachment)).toBe(true);
  });
});
