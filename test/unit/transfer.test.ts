/** The transfer rules and the reading of a receiving school as typed (property-tested: it reads user text). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ledgerLabel,
  needsCountyApproval,
  readDestination,
  schoolTeaches,
  schoolYearEnding,
  TRANSFER_PENDING_LABEL,
  isSpringTerm,
} from '../../src/domain/transfer.js';

const school = (townId: number) => ({ kind: 'school' as const, schoolId: 9, townId, schoolKind: 'primary', name: '某小学' });

describe('who approves a transfer', () => {
  it('a primary pupil within the town: the school; junior-high, cross-town or out of the county: the county', () => {
    expect(needsCountyApproval({ stage: 'primary', townId: 1 }, school(1))).toBe(false);
    expect(needsCountyApproval({ stage: 'junior', townId: 1 }, school(1))).toBe(true);
    expect(needsCountyApproval({ stage: 'primary', townId: 1 }, school(2))).toBe(true);
    expect(needsCountyApproval({ stage: 'primary', townId: 1 }, { kind: 'outside', text: '县外 某校' })).toBe(true);
  });
  it('a junior school cannot receive a primary pupil; a nine-year school receives both', () => {
    expect([
      schoolTeaches('junior', 'primary'),
      schoolTeaches('nine_year', 'primary'),
      schoolTeaches('nine_year', 'junior'),
      schoolTeaches('primary', 'primary'),
    ]).toEqual([false, true, true, true]);
  });
  it('terms and school years', () => {
    expect(isSpringTerm({ start: '2027-02-22' })).toBe(true);
    expect(isSpringTerm({ start: '2026-09-01' })).toBe(false);
    expect(schoolYearEnding('2026-07-03')).toBe('2025-2026');
  });
  it('the ledger label says 转学待核实 only while a transfer is open', () => {
    expect(ledgerLabel('疑似辍学', 'pending_receipt')).toContain(TRANSFER_PENDING_LABEL);
    expect(ledgerLabel('疑似辍学', 'awaiting_approval')).toContain(TRANSFER_PENDING_LABEL);
    expect(ledgerLabel('疑似辍学', 'received')).toBe('疑似辍学');
    expect(ledgerLabel('疑似辍学', null)).toBe('疑似辍学');
  });
});

describe('readDestination', () => {
  it('reads a school name, 县外 with a place, and says what is missing', () => {
    expect(readDestination('青石镇 九年一贯制学校')).toEqual({ kind: 'school', name: '青石镇九年一贯制学校' });
    expect(readDestination('县外 贵阳市  南明区第一小学')).toEqual({ kind: 'outside', text: '县外 贵阳市 南明区第一小学' });
    expect(readDestination('外县：城关二小')).toEqual({ kind: 'outside', text: '外县 城关二小' });
    expect(readDestination('县外')).toEqual({ kind: 'outside_without_name' });
    expect(readDestination('  ')).toEqual({ kind: 'missing' });
  });
  it('never throws; a destination read is never empty, an outside one is at most 100 characters', () => {
    const words = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc
        .tuple(fc.constantFrom('县外', '外县', '外省', 'outside', ''), fc.constantFrom(' ', '：', '　', ''), fc.string({ maxLength: 300 }))
        .map((p) => p.join('')),
    );
    fc.assert(
      fc.property(words, (w) => {
        const d = readDestination(w);
        if (d.kind === 'school') expect(d.name.length).toBeGreaterThan(0);
        if (d.kind === 'outside') {
          expect(d.text.length).toBeLessThanOrEqual(100);
          expect(d.text.trim().length).toBeGreaterThan(2);
        }
        if (d.kind === 'missing') expect(w.trim()).toBe('');
      }),
    );
  });
});
