/** The real Bolt app in HTTP mode receiving signed requests, its Web API pointed at a fake on 127.0.0.1. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { freePort } from '../helpers/net.js';
import { waitFor } from '../helpers/wait-for.js';
import { FakeSlackApi, slackHeaders } from '../fakes/slack-api.js';
import { createSlackAdapter } from '../../adapters/slack/slack-adapter.js';
import type { ChatAdapter } from '../../src/core/chat-port.js';
import { wire } from '../helpers/wire.js';
import { createInviteCode } from '../../src/core/commands/binding.js';
import { tempAttachment } from '../helpers/attachment.js';
import { sendToPerson } from '../../src/services/messenger.js';

const SECRET = 'test-signing-secret';
let app: TestApp;
let api: FakeSlackApi;
let adapter: ChatAdapter;
let deliver: () => Promise<unknown>;
let url = '';
let seq = 0;

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-20T08:30:00+08:00' });
  api = await new FakeSlackApi().start();
  const port = await freePort();
  url = `http://127.0.0.1:${port}/slack/events`;
  adapter = createSlackAdapter({ botToken: 'xoxb-test', signingSecret: SECRET, mode: 'http', port, apiUrl: api.apiUrl, botId: 'BBOT', botUserId: 'UBOT' });
  deliver = (await wire(app, adapter)).deliver;
});

afterAll(async () => {
  await adapter?.stop();
  await api?.stop();
  await app?.close();
});

function messageEvent(user: string, channel: string, text: string, ts = `${++seq}.0001`) {
  return JSON.stringify({
    type: 'event_callback',
    team_id: 'T1',
    api_app_id: 'A1',
    event_id: `Ev${ts}`,
    event_time: 1,
    event: { type: 'message', user, text, channel, channel_type: channel.startsWith('D') ? 'im' : 'channel', ts, event_ts: ts },
  });
}

async function post(body: string, contentType = 'application/json', extra: Record<string, string> = {}, secret = SECRET) {
  return fetch(url, { method: 'POST', headers: slackHeaders(secret, body, contentType, extra), body });
}

/** Waits until nothing more is posted for 150 ms (earlier handlers may still be delivering). */
async function settle() {
  let last = -1;
  while (api.posted.length !== last) {
    last = api.posted.length;
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('slack', () => {
  it('a request with a wrong signature is rejected and nothing happens', async () => {
    const r = await post(messageEvent('U1', 'D1', '情况'), 'application/json', {}, 'wrong-secret');
    expect(r.status).toBe(401);
    await new Promise((res) => setTimeout(res, 100));
    expect(api.posted).toHaveLength(0);
  });

  it('people bind by DM with their one-time code; a signed event is acknowledged and answered', async () => {
    for (const [user, staffId] of [
      ['UTEACH', 'T0012'],
      ['UPRIN', 'T0009'],
      ['UCADRE', 'T0005'],
    ] as const) {
      const person = await app.deps.db.person.findUniqueOrThrow({ where: { staffId } });
      const { code } = await createInviteCode(app.deps, person.id);
      const n = api.posted.length;
      const r = await post(messageEvent(user, `D${user}`, `绑定 ${code}`));
      expect(r.status).toBe(200);
      await waitFor(() => api.posted.length > n, { what: `the answer to ${user}'s binding` });
      expect(api.posted.at(-1)).toMatchObject({ channel: `D${user}` });
      expect(api.posted.at(-1)!.text).toContain('绑定成功');
    }
  });

  it('the teacher binds the class channel and reports two unexcused days; alerts go by DM with a button', async () => {
    let n = api.posted.length;
    await post(messageEvent('UTEACH', 'CCLASS', '<@UBOT> 绑定班级'));
    await waitFor(() => api.posted.length > n, { what: 'the answer to 绑定班级' });
    expect(api.posted.at(-1)!.channel).toBe('CCLASS');
    n = api.posted.length;
    await post(messageEvent('UTEACH', 'CCLASS', '缺勤 余小龙 旷课'));
    await waitFor(() => api.posted.length >= n + 3, { what: () => `3 posts after the absence report (${api.posted.length - n} so far)` });
    app.clock.set('2026-11-23T08:30:00+08:00');
    n = api.posted.length;
    await post(messageEvent('UTEACH', 'CCLASS', '缺勤 余小龙 旷课'));
    await waitFor(() => api.posted.slice(n).some((p) => p.channel === 'DUCADRE'), { what: 'a DM to the village cadre (DUCADRE)' });
    const alerts = api.posted.slice(n).filter((p) => p.text.includes('两天未到校预警'));
    expect(alerts.map((p) => p.channel).sort()).toEqual(['DUCADRE', 'DUPRIN', 'DUTEACH']);
    expect(alerts[0]!.blocks![1]!.elements![0]!.action_id).toMatch(/^ack:\d+$/);
    expect(api.posted.filter((p) => p.channel === 'CCLASS').every((p) => !p.text.includes('余小龙'))).toBe(true);
  });

  it('a button press is acknowledged at once and acknowledges the alert', async () => {
    const alert = await app.deps.db.alert.findFirstOrThrow({ where: { step: 'joint_home_visit' } });
    const payload = {
      type: 'block_actions',
      team: { id: 'T1' },
      user: { id: 'UPRIN' },
      channel: { id: 'DUPRIN' },
      api_app_id: 'A1',
      trigger_id: 't1',
      container: { type: 'message' },
      actions: [{ type: 'button', action_id: `ack:${alert.id}`, block_id: 'b1', value: `ack:${alert.id}`, action_ts: '5.5' }],
    };
    const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await settle();
    const n = api.posted.length;
    const r = await post(body, 'application/x-www-form-urlencoded');
    expect(r.status).toBe(200);
    await waitFor(() => api.posted.length > n, { what: 'the answer to the button press' });
    expect(api.posted.at(-1)).toMatchObject({ channel: 'DUPRIN' });
    expect(api.posted.at(-1)!.text).toContain(`已确认收到预警 #${alert.id}`);
  });

  it('a retried delivery (X-Slack-Retry-Num) records nothing twice', async () => {
    const body = messageEvent('UTEACH', 'CCLASS', '应到30 实到29 旷课1', '77.0001');
    await settle();
    const n = api.posted.length;
    await post(body);
    await waitFor(() => api.posted.length > n, { what: 'the answer to the event' });
    const counts = await app.deps.db.weeklyCount.count();
    const r = await post(body, 'application/json', { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect(r.status).toBe(200);
    await settle();
    expect(await app.deps.db.weeklyCount.count()).toBe(counts);
    expect(api.posted.length).toBe(n + 1);
  });

  it('a message with a file is posted, then the file uploaded into the same conversation', async () => {
    const principal = await app.deps.db.person.findUniqueOrThrow({ where: { staffId: 'T0009' } });
    await settle();
    await sendToPerson(app.deps.db, app.deps.clock.now(), principal.id, '本月月报', { attachment: tempAttachment('xlsx') });
    await deliver();
    expect(api.posted.at(-1)).toMatchObject({ channel: 'DUPRIN', text: '本月月报' });
    expect(api.uploads).toEqual([{ id: 'F1', channel: 'DUPRIN', title: '2026-11月报.xlsx', bytes: 128 }]);
  });
});
