/** The chain's hash definition and canonical JSON: what an auditor would recompute by hand. */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, cell, entryHash, GENESIS, rowHash, sha256 } from '../../src/domain/chain-hash.js';

const hex = (s: string) => createHash('sha256').update(Buffer.from(s, 'utf8')).digest('hex');

describe('chain hash definition', () => {
  it('an entry is sha256(previous hash, table, row id, row hash joined by newlines); the first follows 64 zeros', () => {
    const rh = rowHash({ id: 7, status: 'truant' }, ['id', 'status']);
    expect(rh).toBe(hex('{"id":7,"status":"truant"}'));
    expect(entryHash(GENESIS, 'AttendanceMark', 7, rh)).toBe(hex(`${'0'.repeat(64)}\nAttendanceMark\n7\n${rh}`));
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('canonical JSON: sorted keys, only the layout columns, times as ISO instants, missing as null', () => {
    const at = new Date('2026-11-20T00:30:00Z');
    expect(canonicalJson({ z: 1, a: 'x', recordedAt: at, extra: 'not hashed' }, ['z', 'recordedAt', 'a', 'note'])).toBe(
      '{"a":"x","note":null,"recordedAt":"2026-11-20T00:30:00.000Z","z":1}',
    );
    expect(cell(12n)).toBe(12);
    expect(cell(undefined)).toBeNull();
    expect(cell(new Date('garbage'))).toBe('Invalid Date');
  });

  it('property: stable under column and key order, and it parses back to the same cells', () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.date({ noInvalidDate: true }));
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), value, { minKeys: 1 }), (row) => {
        const columns = Object.keys(row);
        const reversed = Object.fromEntries(Object.entries(row).reverse());
        const json = canonicalJson(row, columns);
        expect(canonicalJson(reversed, [...columns].reverse())).toBe(json);
        const back = JSON.parse(json) as Record<string, unknown>;
        for (const k of columns) expect(back[k]).toEqual(cell(row[k]));
      }),
    );
  });

  it('property: any change of one cell changes the row hash', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer(), (a, b, n) => {
        fc.pre(a !== b);
        expect(rowHash({ id: n, note: a }, ['id', 'note'])).not.toBe(rowHash({ id: n, note: b }, ['id', 'note']));
        expect(rowHash({ id: n, note: a }, ['id', 'note'])).not.toBe(rowHash({ id: n + 1, note: a }, ['id', 'note']));
      }),
    );
  });
});
