/** Generated lines through the router in a bound class group and an unbound group, from every role (see router-world.ts). */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { fuzzRouter, GROUP, makeWorld, ROUTER_BUDGET_MS, type World } from './router-world.js';

const LINES = Number(process.env.ROUTER_PROPERTY_LINES ?? 1000);
let world: World;

beforeAll(async () => {
  world = await makeWorld();
});
afterAll(async () => world?.app.close());

describe('the router under generated input: groups', () => {
  it(`${LINES} lines from every role: no throw, Chinese answers, no names in groups, each line < ${ROUTER_BUDGET_MS} ms`, async () => {
    console.log(`router, groups: ${await fuzzRouter(world, [GROUP, GROUP, '闲聊群'], LINES)}`);
  }, 240_000);
});
