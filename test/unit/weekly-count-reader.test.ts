import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readWeeklyCount } from '../../src/domain/weekly-count-reader.js';

const samplesUrl = new URL('../../../shared/samples/weekly-count-replies.jsonl', import.meta.url);
const samples = fs.existsSync(samplesUrl)
  ? fs
      .readFileSync(samplesUrl, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as { text: string; expect: unknown })
  : [];

describe.skipIf(samples.length === 0)('the shared samples, line by line', () => {
  for (const s of samples) {
    it(s.text, () => {
      const r = readWeeklyCount(s.text);
      if (s.expect === null) expect(r).toEqual({ outcome: 'not-a-count', figures: {} });
      else if (s.expect === 'reject') expect(r.outcome).toBe('invalid');
      else if (s.expect === 'ask') expect(r.outcome).toBe('inconsistent');
      else {
        // The samples give 请假 as one figure; the reader also keeps 病假 and 事假 apart (leave = sick + personal).
        const { sick, personal, ...rest } = r.figures;
        expect({ outcome: r.outcome, figures: rest }).toEqual({ outcome: 'count', figures: s.expect });
        if (sick !== undefined) expect(sick + personal!).toBe(r.figures.leave);
      }
    });
  }
});

const count = (text: string, figures: object) =>
  it(`count: ${text.replace(/\n/g, '⏎')}`, () => expect(readWeeklyCount(text)).toEqual({ outcome: 'count', figures }));
const outcome = (text: string, o: string) => it(`${o}: ${text.replace(/\n/g, '⏎')}`, () => expect(readWeeklyCount(text).outcome).toBe(o));

describe('the language teachers write', () => {
  count('实到43，应到45，旷课2', { enrolled: 45, present: 43, truant: 2 });
  count('应到：45\n实到：44\n病假：1', { enrolled: 45, present: 44, leave: 1, sick: 1, personal: 0 });
  count('应到45人；实到44人；事假1人。', { enrolled: 45, present: 44, leave: 1, sick: 0, personal: 1 });
  count('📊本周统计👇 应到 45 人 实到 44 人 病假 1 人 谢谢🙏', { enrolled: 45, present: 44, leave: 1, sick: 1, personal: 0 });
  count('初二(3)班：应到五十二人，实到五十人，病假两人', { enrolled: 52, present: 50, leave: 2, sick: 2, personal: 0 });
  count('三（2）班 应到46 实到45 旷课1', { enrolled: 46, present: 45, truant: 1 });
  count('3班 应到30 实到30', { enrolled: 30, present: 30 });
  count('应到廿八 实到廿七 病假壹', { enrolled: 28, present: 27, leave: 1, sick: 1, personal: 0 });
  count('应到人数：40，实到人数：38，无故缺勤：2', { enrolled: 40, present: 38, truant: 2 });
  count('Enrolled: 40, Present: 38, sick 1, truant 1', { enrolled: 40, present: 38, leave: 1, sick: 1, personal: 0, truant: 1 });
  count('应到45 实到43 病假1 事假1', { enrolled: 45, present: 43, leave: 2, sick: 1, personal: 1 });
  count('应到40 实到40 无旷课 无辍学', { enrolled: 40, present: 40, truant: 0, dropout: 0 });
  count('全班42人，今天都到了', { enrolled: 42, present: 42 });
  count('应到45 全勤', { enrolled: 45, present: 45 });
  count('45／45', { enrolled: 45, present: 45 });
  count('应到45 实到43', { enrolled: 45, present: 43 });
  count('应到45，实到44，劝返返校1人，请假1', { enrolled: 45, present: 44, leave: 1, returned: 1 });
  count('应到＝45 实到＝45', { enrolled: 45, present: 45 });
  count('应到45 实到45 应到45', { enrolled: 45, present: 45 });
  count('老师好，三年级二班本周应到45人，实到44人，病假1人，其他正常', { enrolled: 45, present: 44, leave: 1, sick: 1, personal: 0 });
  count('应到45 实到44 辍学1', { enrolled: 45, present: 44, dropout: 1 });
});

describe('not a count: chatter gets no answer', () => {
  for (const t of [
    '收到',
    '好的👌',
    '王老师明天交',
    '3班下周一交',
    '明天下午3点开会',
    '辛苦了',
    '请问周统计截止几点？',
    '家长会改到12月5日',
    '本周无辍学',
    '明天缺2个老师',
    '共有3个问题',
    '缺1个本子',
    '3个学生到校早了',
    '全班同学都到了操场',
    '大概3点左右到',
    '这周有45个学生交了作业',
  ])
    outcome(t, 'not-a-count');
});

describe('invalid: impossible figures are refused with a reason and an example', () => {
  for (const t of [
    '应到45 实到50',
    '应到-3 实到2',
    '应到负3 实到2',
    '应到45 实到44 病假46',
    '应到10 实到5 病假6 旷课5',
    '实到44 病假1',
    '应到45 实到44 应到46',
    '病假2人',
  ]) {
    it(t, () => {
      const r = readWeeklyCount(t);
      expect(r.outcome).toBe('invalid');
      expect(r.reason).toMatch(/请这样回复：应到\d+ 实到\d+/);
    });
  }
});

describe('inconsistent: figures that do not add up are asked about', () => {
  for (const t of ['应到45 实到43 病假1', '应到30 实到30 旷课1', '45/40 病假1 旷课1', '应到45 实到44 病假1 旷课1']) {
    it(t, () => {
      const r = readWeeklyCount(t);
      expect(r.outcome).toBe('inconsistent');
      expect(r.reason).toContain('对不上');
      expect(r.reason).toMatch(/确认.*如：应到\d+/);
    });
  }
});

describe('long whitespace and digit runs read as a clerk would (and fast: see test/property/reader.test.ts)', () => {
  count(`应到${' '.repeat(400)}45 实到45`, { enrolled: 45, present: 45 });
  count(`应到 人数 ：${' '.repeat(300)}为 45 人\n\n${'\n'.repeat(300)}实到　　44　人 病假 1`, { enrolled: 45, present: 44, leave: 1, sick: 1, personal: 0 });
  count(`${'1'.repeat(1000)}班 应到30 实到30`, { enrolled: 30, present: 30 });
  count('初二（3）班 应到52 实到52', { enrolled: 52, present: 52 });
  count('三年级12班 应到40 实到40', { enrolled: 40, present: 40 });
  outcome(`应到${' '.repeat(1998)}`, 'not-a-count');
  outcome('1'.repeat(2000), 'not-a-count');
});

describe('numbers no class can have are refused, not stored', () => {
  for (const t of [
    '应到2147483648 实到2147483648',
    '应到99999999999999999999999 实到45',
    '应到45 实到44 病假9007199254740993',
    '应到一千 实到一千',
    '4294967296/4294967296',
    '应到81 实到81',
    '应到一百 实到九十',
  ]) {
    it(t, () => {
      const r = readWeeklyCount(t);
      expect(r.outcome).toBe('invalid');
      expect(r.reason).toContain('太大了');
    });
  }
  count('应到80 实到80', { enrolled: 80, present: 80 });
});
