/** The platform contract for WeCom: a self-built app's encrypted callback and message API, the fake on 127.0.0.1. */
import { FakeWecomApi } from '../fakes/wecom-api.js';
import { freePort } from '../helpers/net.js';
import { WECOM_APP, wecomEnv } from '../adapters/wecom-setup.js';
import { platformContract, type Delivered } from './platform-contract.js';

let api: FakeWecomApi;
let callbackUrl = '';
const GROUP = 'wrkContractClass11';

platformContract({
  name: 'wecom',
  accounts: { teacher: 'zhanghua', principal: 'weilijuan', cadre: 'cunzhang' },
  group: GROUP,
  async start() {
    api = await new FakeWecomApi(WECOM_APP).start();
    const port = await freePort();
    callbackUrl = `http://127.0.0.1:${port}/wecom/callback`;
    return wecomEnv(port, api.apiBase);
  },
  stop: async () => api?.stop(),
  async says(account, where, text) {
    await api.push(callbackUrl, api.textXml(account, text, where === 'group' ? { chatId: GROUP } : {}));
  },
  delivered: (where, account): Delivered[] =>
    api.sent
      .filter((s) => (where === 'dm' ? s.api === 'message' && s.body.touser === account : s.api === 'appchat' && s.body.chatid === GROUP))
      .map((s) => {
        const card = s.body.template_card;
        return card
          ? { text: card.main_title.title, actions: card.button_list.map((b) => b.key), ref: card.task_id }
          : { text: s.body.text?.content ?? '', actions: [] };
      }),
  async press(account, d, action) {
    await api.push(callbackUrl, api.cardPressXml(account, d.ref!, action));
  },
  rateLimitNext() {
    api.limitNext(1, 45009);
    return 60;
  },
  // -1: 系统繁忙, not a limit and not a set-up mistake
  failNext: () => api.limitNext(1, -1),
});
