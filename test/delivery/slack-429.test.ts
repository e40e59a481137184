/** Slack's 429 (Retry-After) through the real Bolt Web API client: the message waits that long, then goes once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { createSlackAdapter } from '../../adapters/slack/slack-adapter.js';
import { deliveryOptionsFrom, drainOutbox } from '../../src/delivery/dispatcher.js';
import { enqueue } from '../../src/store/outbox.repository.js';
import { freePort } from '../helpers/net.js';

let app: TestApp;
let api: FakeSlackApi;

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-20T10:00:00+08:00' });
  api = await new FakeSlackApi().start();
});
afterAll(async () => {
  await api?.stop();
  await app?.close();
});

describe('slack rate limit', () => {
  it('a 429 with Retry-After 4 holds the message 4 s on the clock, counts no attempt, then it is posted once', async () => {
    const adapter = createSlackAdapter({
      botToken: 'xoxb-test',
      signingSecret: 'secret-429',
      mode: 'http',
      port: await freePort(),
      apiUrl: api.apiUrl,
      botId: 'BBOT',
      botUserId: 'UBOT',
    });
    const adapters = new Map([['slack', adapter]]);
    const options = deliveryOptionsFrom(app.deps.config);
    const id = await enqueue(app.deps.db, app.clock.now(), { chatRef: 'slack:group:C42', text: '📋 班级每周一统计', kind: 'duty:weekly_prompt' });
    api.rateLimitNext(1, 4);
    const first = await drainOutbox(app.deps.db, app.clock, adapters, options);
    expect(first.rateLimited).toEqual([{ platform: 'slack', seconds: 4 }]);
    expect(await app.deps.db.outbox.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'failed', attempts: 0 });
    for (let s = 1; s < 4; s++) {
      app.clock.advance(1000);
      await drainOutbox(app.deps.db, app.clock, adapters, options);
      expect(api.posted).toHaveLength(0);
    }
    app.clock.advance(1000);
    await drainOutbox(app.deps.db, app.clock, adapters, options);
    expect(api.posted.map((p) => p.text)).toEqual(['📋 班级每周一统计']);
    expect(await app.deps.db.outbox.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'sent', attempts: 1 });
  });
});
