/** The platform contract for Slack: Bolt in HTTP mode receiving signed requests, its Web API a fake on 127.0.0.1. */
import { FakeSlackApi, slackHeaders } from '../fakes/slack-api.js';
import { freePort } from '../helpers/net.js';
import { platformContract, type Delivered } from './platform-contract.js';

const SECRET = 'contract-signing-secret';
let api: FakeSlackApi;
let url = '';
let seq = 0;
const post = (body: string, type: string) => fetch(url, { method: 'POST', headers: slackHeaders(SECRET, body, type), body });

platformContract({
  name: 'slack',
  accounts: { teacher: 'UTEACH', principal: 'UPRIN', cadre: 'UCADRE' },
  group: 'CCLASS',
  async start() {
    api = await new FakeSlackApi().start();
    const port = await freePort();
    url = `http://127.0.0.1:${port}/slack/events`;
    return {
      SLACK_BOT_TOKEN: 'xoxb-contract',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_MODE: 'http',
      SLACK_PORT: String(port),
      SLACK_API_URL: api.apiUrl,
      SLACK_BOT_ID: 'BBOT',
      SLACK_BOT_USER_ID: 'UBOT',
    };
  },
  stop: async () => api?.stop(),
  async says(account, where, text) {
    const channel = where === 'dm' ? `D${account}` : 'CCLASS';
    const ts = `${++seq}.0001`;
    const event = {
      type: 'message',
      user: account,
      text: where === 'group' ? `<@UBOT> ${text}` : text,
      channel,
      channel_type: where === 'dm' ? 'im' : 'channel',
      ts,
      event_ts: ts,
    };
    await post(JSON.stringify({ type: 'event_callback', team_id: 'T1', api_app_id: 'A1', event_id: `Ev${ts}`, event_time: 1, event }), 'application/json');
  },
  delivered: (where, account): Delivered[] =>
    api.posted
      .filter((p) => p.channel === (where === 'dm' ? `D${account}` : 'CCLASS'))
      .map((p) => ({ text: p.text, actions: (p.blocks ?? []).flatMap((b) => b.elements ?? []).map((e) => e.action_id) })),
  async press(account, _d, action) {
    const payload = {
      type: 'block_actions',
      team: { id: 'T1' },
      user: { id: account },
      channel: { id: `D${account}` },
      api_app_id: 'A1',
      trigger_id: 't1',
      container: { type: 'message' },
      actions: [{ type: 'button', action_id: action, block_id: 'b1', value: action, action_ts: `${++seq}.5` }],
    };
    await post(`payload=${encodeURIComponent(JSON.stringify(payload))}`, 'application/x-www-form-urlencoded');
  },
  rateLimitNext() {
    api.rateLimitNext(1, 7);
    return 7;
  },
  failNext: () => api.failNext(1),
});
