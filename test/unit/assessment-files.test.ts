/**
 * The assessment files at county size (120 schools with long names, 12 towns), built from a model alone: the PDF runs
 * over several pages with every name whole in its text layer and nothing cut with "…"; the conclusion rules.
 */
import { describe, expect, it } from 'vitest';
import { extractText, getDocumentProxy } from 'unpdf';
import ExcelJS from 'exceljs';
import { DEFAULT_TARGETS } from '../../src/domain/rates.js';
import { conclusionOf, judge, type AssessmentModel, type AssessmentRow } from '../../src/reports/assessment-model.js';
import { assessmentPdf } from '../../src/reports/assessment.pdf.js';
import { assessmentXlsx } from '../../src/reports/assessment.xlsx.js';
import { VETO_FIGURES } from '../../src/domain/rates.js';

function row(kind: AssessmentRow['kind'], id: number, name: string, townName: string, dropout: number): AssessmentRow {
  const rates: AssessmentRow['rates'] = {
    primaryDropout: { value: dropout, num: Math.round(dropout * 1000), den: 1000 },
    juniorDropout: { value: 0, num: 0, den: 800 },
  };
  const r: AssessmentRow = {
    kind,
    id,
    name,
    townName,
    rates,
    targets: DEFAULT_TARGETS,
    inspections: id % 3,
    failures: id % 2,
    yellowCards: id % 7 === 0 ? 1 : 0,
    escalatedTown: id % 4,
    escalatedCounty: id % 2,
    faultRecords: id % 5,
    ...judge(rates, DEFAULT_TARGETS, VETO_FIGURES),
    conclusion: '',
  };
  r.conclusion = conclusionOf(r);
  return r;
}

const towns = Array.from({ length: 12 }, (_, t) => `第${t + 1}镇`);
const model: AssessmentModel = {
  title: '示范县2026学年控辍保学工作年度考核表',
  countyName: '示范县',
  schoolYear: 2026,
  yearLabel: '2026—2027学年',
  from: '2026-09-01',
  asOf: '2027-06-30',
  schools: Array.from({ length: 120 }, (_, i) =>
    row('school', i + 1, `${towns[i % 12]}第${i + 1}九年一贯制学校（含东山村、石桥村、柳塘村教学点）`, towns[i % 12]!, i % 9 === 0 ? 0.007 : 0.001),
  ),
  towns: towns.map((t, i) => row('town', i + 1, t, t, 0.002)).concat(row('county', 0, '示范县（全县）', '', 0.002)),
  notes: ['考核期间：2026-09-01 至 2027-06-30。'],
};

describe('assessment files at county size', () => {
  it('the PDF spans pages, every school and town whole, no "…"', async () => {
    const pdf = await assessmentPdf(model);
    const { totalPages, text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true });
    expect(totalPages).toBeGreaterThan(3);
    const flat = text.replace(/\s+/g, '');
    for (const s of model.schools) expect(flat).toContain(s.name);
    for (const t of model.towns) expect(flat).toContain(t.name);
    expect(flat).toContain('一、学校（120所）（续）');
    expect(text).not.toContain('…');
  });

  it('the workbook has one line per school and per town (plus the county)', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await assessmentXlsx(model)) as unknown as ArrayBuffer);
    const names = (sheet: string, col: number) => {
      const out: string[] = [];
      wb.getWorksheet(sheet)!.eachRow((r, n) => n > 4 && typeof r.getCell(1).value === 'number' && out.push(String(r.getCell(col).value)));
      return out;
    };
    expect(names('学校', 3)).toEqual(model.schools.map((s) => s.name));
    expect(names('乡镇', 2)).toEqual(towns);
  });

  it('conclusions: veto first, 黄牌 for a school (追究责任 at the third failure), 基本合格, 待核定, 合格', () => {
    const base = { kind: 'school' as const, breaches: [], vetoMissing: [], yellowCards: 0, failures: 0 };
    const veto = row('school', 1, 'x', 't', 0.01).breaches;
    expect(conclusionOf({ ...base })).toBe('合格');
    expect(conclusionOf({ ...base, breaches: veto, yellowCards: 1, failures: 3 })).toBe(
      '不合格（一票否决：小学辍学率）；黄牌警告（抽查不合格 3 次，追究责任）',
    );
    expect(conclusionOf({ ...base, yellowCards: 1, failures: 2 })).toBe('黄牌警告');
    expect(conclusionOf({ ...base, kind: 'town', yellowCards: 1, failures: 2 })).toBe('合格');
    const low = judge({ consolidation: { value: 0.8, num: 80, den: 100 } }, DEFAULT_TARGETS, VETO_FIGURES);
    expect(conclusionOf({ ...base, ...low })).toBe('基本合格（九年义务教育巩固率未达标）');
    const missing = judge({ primaryEnrolment: { missing: '未导入（2026 年适龄人口）' } }, DEFAULT_TARGETS, VETO_FIGURES);
    expect(conclusionOf({ ...base, kind: 'town', ...missing })).toBe('待核定（小学适龄儿童入学率未导入）');
  });
});
