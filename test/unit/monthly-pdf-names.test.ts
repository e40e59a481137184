/**
 * The printed form never cuts a name: any school name, short or very long, is found whole in the PDF's text layer
 * (its wrapped lines joined), and no cell ends in "…". Names are drawn at random (fast-check).
 */
import { extractText, getDocumentProxy } from 'unpdf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monthlyReportPdf } from '../../src/reports/monthly-report.pdf.js';
import type { Figures } from '../../src/reports/monthly-model.js';
import type { MonthlyForm } from '../../src/reports/monthly-form.js';
import { DEFAULT_TARGETS } from '../../src/domain/rates.js';

const f: Figures = {
  atTermStart: 1210,
  current: 1200,
  transferredIn: 3,
  transferredOut: 5,
  suspended: 1,
  borrowing: 0,
  droppedMonth: 4,
  droppedTerm: 7,
  returnedTerm: 2,
  dropoutRate: 0.0041,
  retentionRate: 0.991,
};
const CHARS = [...'青石镇东山村希望九年一贯制学校中心小学初级中学教学点含两个西岭柳河白马乡民族寄宿制（）0123456789'];
const name = fc.array(fc.constantFrom(...CHARS), { minLength: 2, maxLength: 60 }).map((cs) => cs.join(''));

function townForm(schools: string[]): MonthlyForm {
  return {
    title: '青石镇控辍保学月报表（全镇汇总）',
    rowHeader: '学校',
    countyName: '示范县',
    townName: '青石镇',
    schoolName: '',
    month: '2026-11',
    termName: '2026秋季学期',
    termStart: '2026-09-01',
    asOf: '2026-11-20',
    rows: schools.map((label) => ({ stage: 'primary' as const, grade: 0, label, ...f })),
    stages: [{ stage: 'primary', label: '小学', figures: f, breaches: [] }],
    total: f,
    targets: DEFAULT_TARGETS,
    unitRates: {},
    breaches: [],
    notes: ['说明'],
    cases: [],
    form: {
      unit: '青石镇人民政府',
      filler: '周泽宇',
      phone: '0851-1234567',
      stamp: '镇人民政府（盖章）',
      weeks: [],
      suspectedDays: {},
      schoolWeeks: schools.map((schoolName) => ({ schoolName, classes: 6, due: 18, missing: 1, detail: ['三(2)班（11/09–11/13）'] })),
    },
  };
}

async function text(pdf: Buffer): Promise<string> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  return (await extractText(doc, { mergePages: true })).text;
}

describe('names on the printed town form', () => {
  it('every school name is printed whole, never cut with "…"', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(name, { minLength: 1, maxLength: 4 }), async (schools) => {
        const t = await text(await monthlyReportPdf(townForm(schools)));
        expect(t).not.toContain('…');
        const flat = t.replace(/\s+/g, '');
        // once in its row of the form, once in the weekly-count table: both whole
        for (const s of schools) expect(flat.split(s).length - 1).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 8 },
    );
  }, 120_000);
});
