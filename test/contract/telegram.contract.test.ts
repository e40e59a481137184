/** The platform contract for Telegram: the Bot API fake on 127.0.0.1, long polling. */
import { FakeTelegramApi } from '../fakes/telegram-api.js';
import { platformContract, type Delivered } from './platform-contract.js';

let api: FakeTelegramApi;
const GROUP = -1001234;
const chatOf = (where: 'dm' | 'group', account?: string) => (where === 'group' ? GROUP : Number(account));

platformContract({
  name: 'telegram',
  accounts: { teacher: '7001', principal: '7002', cadre: '7003' },
  group: String(GROUP),
  async start() {
    api = await new FakeTelegramApi('42:CONTRACT').start();
    return { TELEGRAM_BOT_TOKEN: '42:CONTRACT', TELEGRAM_API_ROOT: api.apiRoot };
  },
  stop: async () => api?.stop(),
  async says(account, where, text) {
    api.userSays(
      { id: Number(account) },
      where === 'dm' ? { id: Number(account), type: 'private' } : { id: GROUP, type: 'supergroup', title: '一(1)班家长群' },
      text,
    );
  },
  delivered: (where, account): Delivered[] =>
    api.sent
      .filter((s) => String(s.chat_id) === String(chatOf(where, account)))
      .map((s) => ({ text: s.text, actions: (s.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data) })),
  async press(account, _d, action) {
    api.userPresses({ id: Number(account) }, { id: Number(account), type: 'private' }, action);
  },
  rateLimitNext() {
    api.rateLimitNext(1, 7);
    return 7;
  },
  failNext: () => api.failNext(1, 500),
});
