/** A dropout confirmed the way it reaches the roster: three days truant, a home visit, then 确认辍学 by the principal. */
import { expect } from 'vitest';
import type { TestApp } from './app.js';

export async function confirmDropoutThroughBot(app: TestApp, studentId: number): Promise<void> {
  const db = app.deps.db;
  const say = async (who: string, text: string) => (await app.session.say(who, 'dm', text)).delivered.map((d) => d.text).join('\n');
  const s = await db.student.findUniqueOrThrow({ where: { id: studentId }, include: { class: true } });
  const teacher = await db.person.findFirstOrThrow({ where: { role: 'class_teacher', classId: s.classId } });
  const principal = await db.person.findFirstOrThrow({ where: { role: 'principal', schoolId: s.class.schoolId } });
  const cadre = await db.person.findFirstOrThrow({ where: { role: 'village', villageId: s.villageId } });
  const now = app.clock.now();
  for (const day of ['2026-11-16', '2026-11-17', '2026-11-18']) {
    app.clock.set(`${day}T09:00:00+08:00`);
    await say(teacher.staffId, `缺勤 ${s.studentNo} 旷课`);
  }
  await say(cadre.staffId, `家访 ${s.studentNo} 外出务工 拒绝返校`);
  expect(await say(principal.staffId, `确认辍学 ${s.studentNo}`)).not.toContain('不能');
  app.clock.set(now);
}
