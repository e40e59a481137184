/** Whether a reading is what the corpus line expects (see test/corpus/README.md). */
import fs from 'node:fs';
import type { CountReading } from '../../src/domain/types.js';

export type Expect = Record<string, number> | 'all' | 'approx' | 'ask' | 'reject' | null;
export interface CorpusLine {
  text: string;
  expect: Expect;
}

const OUTCOME: Record<string, string> = { all: 'all-present', approx: 'approximate', ask: 'inconsistent', reject: 'invalid' };

export function judge(r: CountReading, expect: Expect): boolean {
  if (expect === null) return r.outcome === 'not-a-count';
  if (typeof expect === 'string') return r.outcome === OUTCOME[expect];
  if (r.outcome !== 'count') return false;
  const got = r.figures as Record<string, number>;
  const keys = new Set([...Object.keys(got), ...Object.keys(expect)]);
  return [...keys].every((k) => got[k] === expect[k]);
}

export function readCorpus(url: URL): CorpusLine[] {
  return fs
    .readFileSync(url, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CorpusLine);
}
