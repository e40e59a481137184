/** The platform contract for DingTalk: the robot in Stream mode (the official SDK) and its send APIs, the fake on 127.0.0.1. */
import { FakeDingtalk } from '../fakes/dingtalk-api.js';
import { platformContract, type Delivered } from './platform-contract.js';

const ID = 'dingcontract0001';
const SECRET = 'contract-secret-0123456789abcdef';
const GROUP = 'cidContractGroup==';
let fake: FakeDingtalk;
let msg = 0;
const say = (account: string, where: 'dm' | 'group', text: string) =>
  fake.push({
    msgId: `contract${++msg}`,
    text,
    senderStaffId: account,
    conversationType: where === 'dm' ? '1' : '2',
    ...(where === 'group' ? { conversationId: GROUP, conversationTitle: '一(1)班家长群' } : {}),
  });

platformContract({
  name: 'dingtalk',
  accounts: { teacher: 'teacher01', principal: 'principal01', cadre: 'cadre01' },
  group: GROUP,
  async start() {
    fake = await new FakeDingtalk(ID, SECRET).start();
    return {
      DINGTALK_CLIENT_ID: ID,
      DINGTALK_CLIENT_SECRET: SECRET,
      DINGTALK_API_BASE: fake.apiBase,
      DINGTALK_OAPI_BASE: fake.apiBase,
      DINGTALK_STREAM_ENDPOINT: fake.gatewayUrl,
    };
  },
  stop: async () => fake?.stop(),
  async says(account, where, text) {
    say(account, where, text);
  },
  // Action cards' buttons are links that make the client type their text equivalent: no action ids come back.
  delivered: (where, account): Delivered[] =>
    fake.sent
      .filter((s) => s.kind === where && s.to === (where === 'dm' ? account : GROUP))
      .map((s) => ({ text: s.param.content ?? s.param.text ?? '', actions: [], ref: s.param.singleURL ?? s.param.actionURL1 })),
  async press(account, d) {
    say(account, 'dm', decodeURIComponent(d.ref!.split('content=')[1]!));
  },
  rateLimitNext() {
    fake.throttleNext(1, 'qps');
    return 1;
  },
  failNext: () => fake.failNext(1),
});
