/** Declared command arguments: each kind, synonyms, optional and repeated, and refusals that carry the example. */
import { describe, expect, it } from 'vitest';
import { acceptedLabels, parseArgs, readArgs, type ArgSpec } from '../../src/core/args.js';
import { Refusal, type Ctx } from '../../src/core/context.js';
import { statusWord } from '../../src/core/parse-args.js';
import {
  ATTENDANCE_SET,
  ATTENTION_SET,
  FORM_FORMAT_SET,
  LABEL_SETS,
  RATE_SET,
  readLabel,
  readLabelWithDetail,
  VISIT_OUTCOME_SET,
  VISIT_REASON_SET,
} from '../../src/domain/labels.js';
import { ATTENDANCE_LABELS, ATTENDANCE_STATUSES } from '../../src/domain/types.js';
import { parseRateKey } from '../../src/domain/rates.js';

const TODAY = '2026-11-20'; // a Friday
const EX = '命令 示例';

/** Enough of a context for the kinds that need no database. */
const ctx = (today = TODAY) =>
  ({
    today,
    deps: { calendar: { isSchoolDay: (d: string) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()), whyNotSchoolDay: () => '周末' } },
  }) as unknown as Ctx;

async function refusal(p: Promise<unknown>): Promise<Refusal> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Refusal) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('labels', () => {
  it('every label and every synonym of every set reads back to its key, and no word names two keys of one set', () => {
    for (const set of LABEL_SETS) {
      const seen = new Map<string, string>();
      for (const k of set.keys) {
        for (const w of [set.labels[k] ?? '', ...(set.synonyms[k] ?? [])]) {
          expect(readLabel(set, w), `${set.title} ${w}`).toBe(k);
          expect(readLabel(set, w.toUpperCase())).toBe(k);
          const prior = seen.get(w.toLowerCase());
          expect(prior === undefined || prior === k, `${set.title}: “${w}” names ${prior} and ${k}`).toBe(true);
          seen.set(w.toLowerCase(), k);
        }
      }
      expect(readLabel(set, '')).toBeUndefined();
      expect(readLabel(set, '没有这个词')).toBeUndefined();
    }
  });

  it('attendance words come from the domain: statusWord reads each label and synonym, and nothing else', () => {
    for (const s of ATTENDANCE_STATUSES) expect(statusWord(ATTENDANCE_LABELS[s])).toBe(s);
    expect(statusWord('生病')).toBe('sick');
    expect(statusWord('请假')).toBe('personal');
    expect(statusWord('逃学')).toBe('truant');
    expect(statusWord('UNEXCUSED')).toBe('truant');
    expect(statusWord('张三')).toBeUndefined();
    expect(readLabel(ATTENDANCE_SET, '出勤')).toBe('present');
  });

  it('rate names read as parseRateKey reads them; 重点关注 kinds as the roster writes them', () => {
    for (const w of ['小学辍学率', '初中辍学率', '巩固率', '九年义务教育巩固率', '小学入学率', '小学适龄儿童入学率', '初中毛入学率', '初中阶段毛入学率']) {
      expect(readLabel(RATE_SET, w)).toBe(parseRateKey(w));
    }
    expect(readLabel(ATTENTION_SET, '建档立卡户')).toBe('poor');
    expect(readLabel(ATTENTION_SET, '留守')).toBe('left_behind');
  });

  it('a set that takes an explanation reads 其他:说明; others do not split on the colon', () => {
    expect(readLabelWithDetail(VISIT_REASON_SET, '其他：外出打工')).toEqual({ value: 'other', detail: '外出打工' });
    expect(readLabelWithDetail(VISIT_OUTCOME_SET, '同意返校')).toEqual({ value: 'will_return' });
    expect(readLabelWithDetail(ATTENDANCE_SET, '病假:发烧')).toBeUndefined();
  });
});

describe('parseArgs', () => {
  it('date: words and forms, optional, anywhere or last', () => {
    const spec = [
      { name: 'd', kind: 'date', title: '日期', optional: true, at: 'any' },
      { name: 'who', kind: 'student', title: '学生' },
    ] as const satisfies readonly ArgSpec[];
    expect(parseArgs(spec, '昨天 张三', TODAY)).toEqual({ ok: true, values: { d: '2026-11-19', who: '张三' } });
    expect(parseArgs(spec, '张三 11月18日', TODAY)).toEqual({ ok: true, values: { d: '2026-11-18', who: '张三' } });
    expect(parseArgs(spec, '张三', TODAY)).toEqual({ ok: true, values: { d: undefined, who: '张三' } });
    const end = [
      { name: 'd', kind: 'date', title: '日期', optional: true, at: 'end' },
      { name: 'who', kind: 'student', title: '学生' },
      { name: 'rest', kind: 'text', title: '学校', optional: true },
    ] as const satisfies readonly ArgSpec[];
    expect(parseArgs(end, '张三 青石镇 中心小学 11-20', TODAY)).toEqual({ ok: true, values: { d: '2026-11-20', who: '张三', rest: '青石镇 中心小学' } });
    // A lone word is never taken as the last-place date.
    expect(parseArgs(end, '11-20', TODAY)).toEqual({ ok: true, values: { d: undefined, who: '11-20', rest: undefined } });
  });

  it('label: label or synonym; an unknown word is refused with the choices', () => {
    const spec = [{ name: 'f', kind: 'label', set: RATE_SET, title: '指标' }] as const satisfies readonly ArgSpec[];
    expect(parseArgs(spec, '巩固率', TODAY)).toEqual({ ok: true, values: { f: { value: 'consolidation' } } });
    const bad = parseArgs(spec, '辍学率', TODAY);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.reason).toBe('不认识指标“辍学率”。可选：小学辍学率、初中辍学率、九年义务教育巩固率、小学适龄儿童入学率、初中毛入学率。');
    const visit = [{ name: 'r', kind: 'label', set: VISIT_REASON_SET, title: '原因' }] as const satisfies readonly ArgSpec[];
    const r = parseArgs(visit, '走亲戚', TODAY);
    if (r.ok) throw new Error('read');
    expect(r.reason).toContain('其他:具体原因');
    expect(r.reason).not.toContain('、其他，');
  });

  it('missing and left-over words are refused; an optional word that does not fit says why', () => {
    const spec = [
      { name: 'who', kind: 'student', title: '学生姓名' },
      { name: 'fmt', kind: 'label', set: FORM_FORMAT_SET, title: '格式', optional: true },
    ] as const satisfies readonly ArgSpec[];
    expect(parseArgs(spec, '', TODAY)).toEqual({ ok: false, reason: '请写学生姓名。' });
    expect(parseArgs(spec, '张三 pdf', TODAY)).toEqual({ ok: true, values: { who: '张三', fmt: { value: 'pdf' } } });
    expect(parseArgs(spec, '张三 word', TODAY)).toEqual({ ok: false, reason: '不认识格式“word”。可选：表格、pdf。' });
    expect(parseArgs(spec, '张三 pdf 多余', TODAY)).toEqual({ ok: false, reason: '看不懂“多余”，请按示例写。' });
  });

  it('repeated: takes what fits, up to the limit; at least one unless optional', () => {
    const spec = [{ name: 'p', kind: 'person', title: '工号', repeated: { max: 3 } }] as const satisfies readonly ArgSpec[];
    expect(parseArgs(spec, 'T1 T2，T3', TODAY)).toEqual({ ok: true, values: { p: ['T1', 'T2', 'T3'] } });
    expect(parseArgs(spec, 'T1 T2 T3 T4', TODAY)).toEqual({ ok: false, reason: '一次最多写 3 个工号。' });
    expect(parseArgs(spec, '', TODAY)).toEqual({ ok: false, reason: '请写工号。' });
    const opt = [{ name: 'n', kind: 'number', title: '编号', optional: true, repeated: { max: 5 }, hash: true }] as const satisfies readonly ArgSpec[];
    expect(parseArgs(opt, '', TODAY)).toEqual({ ok: true, values: { n: [] } });
    expect(parseArgs(opt, '#12、13', TODAY)).toEqual({ ok: true, values: { n: [12, 13] } });
    // A word after the numbers that is not one says why (not just "left over").
    expect(parseArgs(opt, '12 好的', TODAY)).toEqual({ ok: false, reason: '编号“好的”不对，应为整数。' });
  });

  it('number, percent, month (also across words), quarter, year, 学籍号', () => {
    const one = (a: ArgSpec, text: string) => {
      const r = parseArgs([a], text, TODAY);
      return r.ok ? r.values[a.name] : r.reason;
    };
    expect(one({ name: 'x', kind: 'number', title: '人数', min: 1, max: 99 }, '45')).toBe(45);
    expect(one({ name: 'x', kind: 'number', title: '人数', min: 1, max: 99 }, '450')).toBe('人数“450”不对，应为 1–99 之间的整数。');
    expect(one({ name: 'x', kind: 'percent', title: '目标值' }, '1.5%')).toBe(0.015);
    expect(one({ name: 'x', kind: 'percent', title: '目标值' }, '1.5')).toContain('带 % 号');
    expect(one({ name: 'x', kind: 'month', title: '月份' }, '2026年11月')).toBe('2026-11');
    expect(one({ name: 'x', kind: 'month', title: '月份' }, '2026 - 3')).toBe('2026-03');
    expect(one({ name: 'x', kind: 'month', title: '月份', optional: true }, '2026-13')).toBe('月份“2026-13”看不懂，请写成“年-月”，不写就是本月。');
    expect(one({ name: 'x', kind: 'quarter', title: '季度' }, '2026q4')).toBe('2026Q4');
    expect(one({ name: 'x', kind: 'year', title: '学年' }, '2026')).toBe('2026');
    expect(one({ name: 'x', kind: 'studentNo', title: '学籍号' }, 'G522720140315001')).toBe('G522720140315001');
    expect(one({ name: 'x', kind: 'studentNo', title: '学籍号' }, '张三')).toContain('不是学籍号');
  });

  it('free text: the rest of the line, as typed when asked (punctuation kept), cut at its limit', () => {
    const spec = [
      { name: 'id', kind: 'number', title: '编号', hash: true },
      { name: 'note', kind: 'text', title: '说明', raw: true, max: 12 },
    ] as const satisfies readonly ArgSpec[];
    expect(parseArgs(spec, '#3 已补齐，当天考勤；并培训', TODAY)).toEqual({ ok: true, values: { id: 3, note: '已补齐，当天考勤；并培训' } });
    expect(parseArgs(spec, '3 一二三四五六七八九十十一十二十三', TODAY)).toEqual({ ok: true, values: { id: 3, note: '一二三四五六七八九十十一' } });
    expect(parseArgs(spec, '3', TODAY)).toEqual({ ok: false, reason: '请写说明。' });
  });
});

describe('readArgs', () => {
  it('refuses with the reason and the command example, or the argument’s own', async () => {
    const spec = [
      { name: 'd', kind: 'date', title: '日期', notFuture: '不能写未来的日期。' },
      { name: 'r', kind: 'label', set: VISIT_REASON_SET, title: '原因', example: '家访 张三 厌学 同意返校' },
    ] as const satisfies readonly ArgSpec[];
    const a = await refusal(readArgs(ctx(), spec, '', EX));
    expect([a.reason, a.example]).toEqual(['请写日期。', EX]);
    const b = await refusal(readArgs(ctx(), spec, '明天 厌学', EX));
    expect(b.example).toBe(EX);
    const c = await refusal(readArgs(ctx(), spec, '11-21 厌学', EX));
    expect([c.reason, c.example]).toEqual(['不能写未来的日期。', EX]);
    const d = await refusal(readArgs(ctx(), spec, '今天 走亲戚', EX));
    expect(d.example).toBe('家访 张三 厌学 同意返校');
    expect(await readArgs(ctx(), spec, '昨天 打工', EX)).toEqual({ d: '2026-11-19', r: { value: 'migrant_work' } });
  });

  it('an attendance date must be a school day, not future, within 30 days', async () => {
    const spec = [{ name: 'd', kind: 'date', title: '日期', attendance: true }] as const satisfies readonly ArgSpec[];
    expect((await readArgs(ctx(), spec, '11-19', EX)).d).toBe('2026-11-19');
    expect((await refusal(readArgs(ctx(), spec, '11-21', EX))).reason).toContain('未来');
    expect((await refusal(readArgs(ctx('2026-11-23'), spec, '11-22', EX))).reason).toContain('不是上学日');
    expect((await refusal(readArgs(ctx(), spec, '2026-09-01', EX))).reason).toContain('最近 30 天');
  });

  it('help lists a declaration’s labels', () => {
    const spec = [
      { name: 'r', kind: 'label', set: VISIT_REASON_SET, title: '原因' },
      { name: 's', kind: 'label', set: ATTENDANCE_SET, title: '考勤' },
    ] as const satisfies readonly ArgSpec[];
    expect(acceptedLabels(spec)).toBe('原因：贫困、厌学、学困、外出务工、家庭原因、行为偏差、学校原因、疾病，或 其他:具体原因；考勤：到校、病假、事假、旷课');
    expect(acceptedLabels(undefined)).toBe('');
  });
});
