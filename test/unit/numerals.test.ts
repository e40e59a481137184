import { describe, expect, it } from 'vitest';
import { parseNumber } from '../../src/domain/numerals.js';

describe('parseNumber', () => {
  const cases: [string, number | undefined][] = [
    ['45', 45],
    ['４５', 45],
    ['0', 0],
    ['零', 0],
    ['〇', 0],
    ['一', 1],
    ['两', 2],
    ['二', 2],
    ['十', 10],
    ['十五', 15],
    ['二十', 20],
    ['四十五', 45],
    ['一百零二', 102],
    ['两百', 200],
    ['廿', 20],
    ['廿三', 23],
    ['卅一', 31],
    ['壹拾贰', 12],
    ['叁拾', 30],
    ['伍', 5],
    ['一〇二', 102],
    ['三千零五', 3005],
    ['-3', -3],
    ['－3', -3],
    ['负三', -3],
    ['abc', undefined],
    ['三a', undefined],
  ];
  for (const [t, v] of cases) it(`${t} → ${v}`, () => expect(parseNumber(t)).toBe(v));
});
