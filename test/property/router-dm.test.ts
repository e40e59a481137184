/** Generated lines through the router in direct chats, from every role (see router-world.ts for what is checked). */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { fuzzRouter, makeWorld, ROUTER_BUDGET_MS, type World } from './router-world.js';

const LINES = Number(process.env.ROUTER_PROPERTY_LINES ?? 1000);
let world: World;

beforeAll(async () => {
  world = await makeWorld();
});
afterAll(async () => world?.app.close());

describe('the router under generated input: direct chats', () => {
  it(`${LINES} lines from every role: no throw, Chinese answers, each line < ${ROUTER_BUDGET_MS} ms`, async () => {
    console.log(`router, direct chats: ${await fuzzRouter(world, ['dm'], LINES)}`);
  }, 240_000);
});
