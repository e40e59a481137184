/**
 * 包保 and 家访 under generated input (names, 学籍号 tails, real and made-up 工号, 取消, 其他:说明 with any text,
 * random unicode), from every role, in direct chats and in groups: nothing reaches the error boundary, every answer
 * is Chinese, and no group hears a pupil's or a guardian's name.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CJK, argument, randomText, whitespace } from './grammar.js';
import { GROUP, makeWorld, type World } from './router-world.js';

const LINES = Number(process.env.CARE_PROPERTY_LINES ?? 400);
let world: World;
let staff: string[];

beforeAll(async () => {
  world = await makeWorld();
  staff = (await world.app.deps.db.person.findMany({ orderBy: { id: 'asc' } })).filter((_, i) => i % 7 === 0).map((p) => p.staffId);
});
afterAll(async () => world?.app.close());

function careLine(): fc.Arbitrary<string> {
  const word = fc.oneof(
    { weight: 4, arbitrary: argument(world.roster) },
    { weight: 3, arbitrary: fc.constantFrom(...staff, 'T0000', 'T99999999', 't0001', 'T1') },
    { weight: 2, arbitrary: fc.constantFrom('取消', '删除', 'remove', '其他', '其它', '厌学', '打工', '同意返校', '未见到', '拒绝', '其他结果') },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom('其他', '其它', '厌学', '同意返校', 'other'),
          fc.constantFrom(':', '：', '::'),
          fc.oneof(randomText, fc.constantFrom(...world.roster.names)),
        )
        .map((p) => p.join('')),
    },
  );
  const sep = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(' ', '，', '　') }, { weight: 1, arbitrary: whitespace });
  const args = fc
    .array(
      fc.tuple(sep, word).map(([w, a]) => w + a),
      { maxLength: 6 },
    )
    .map((a) => a.join(''));
  const free = fc.tuple(fc.constantFrom('包保', '家访', '入户家访', '/包保', 'guarantee', 'visit'), args).map(([w, a]) => w + a);
  // Lines shaped as people mean them, so that many get past the refusals into the commands' own code.
  const name = fc.oneof(fc.constantFrom(...world.roster.names), fc.constantFrom(...world.roster.tails));
  const guarantee = fc
    .tuple(name, fc.boolean(), fc.array(fc.constantFrom(...staff, 'T99999999'), { minLength: 0, maxLength: 3 }))
    .map(([n, off, ids]) => `包保 ${n}${off ? ' 取消' : ''}${ids.map((i) => ` ${i}`).join('')}`);
  const reason = fc.oneof(
    fc.constantFrom('厌学', '贫困', '打工', '留守', '其他', '学困', '走亲戚'),
    fc.tuple(fc.constantFrom('其他:', '其它：', '厌学:'), randomText).map(([a, b]) => a + b.replace(/\s/g, '')),
  );
  const outcome = fc.oneof(
    fc.constantFrom('同意返校', '愿意返校', '拒绝', '不在家', '其他', '回来了'),
    fc.tuple(fc.constantFrom('其他:', '其他结果：'), randomText).map(([a, b]) => a + b.replace(/\s/g, '')),
  );
  const visit = fc.tuple(name, reason, outcome, fc.oneof(fc.constant(''), randomText)).map(([n, r, o, note]) => `家访 ${n} ${r} ${o} ${note}`.trim());
  return fc.oneof({ weight: 2, arbitrary: free }, { weight: 3, arbitrary: guarantee }, { weight: 3, arbitrary: visit });
}

describe('包保 and 家访 under generated input', () => {
  it(`${LINES} lines from every role, in DMs and groups: no throw, Chinese answers, no pupil names in groups`, async () => {
    const { app, senders, privateNames } = world;
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...senders), fc.constantFrom('dm', GROUP, '闲聊群'), careLine(), async (who, chat, text) => {
        const { result, delivered } = await app.session.say(who, chat, text);
        const handled = result?.handled ?? 'none';
        outcomes.set(handled, (outcomes.get(handled) ?? 0) + 1);
        expect(handled, `"${text.slice(0, 80)}" reached the error boundary`).not.toBe('failed');
        for (const d of delivered) {
          expect(d.text, `answer to "${text.slice(0, 40)}"`).toMatch(CJK);
          if (d.chat !== 'dm') for (const n of privateNames) expect(d.text.includes(n), `group message names ${n}: ${d.text}`).toBe(false);
        }
      }),
      { numRuns: LINES, endOnFailure: true },
    );
    console.log(`care commands: ${LINES} lines, outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`);
    // the generator reaches the commands' own code, not only the router's refusals
    expect(outcomes.get('command') ?? 0).toBeGreaterThan(0);
  }, 240_000);
});
