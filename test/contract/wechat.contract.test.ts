/**
 * The platform contract for WeChat: the real Wechaty with wechaty-puppet-mock (contacts and a room in memory; the
 * puppet is an object, so the harness builds the adapter with it). WeChat has no buttons (text equivalents) and no
 * "too many requests" answer (the dispatcher's windows keep a personal account under its limits).
 */
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { createWechatAdapter } from '../../adapters/wechat/wechat-adapter.js';
import { platformContract, type Delivered } from './platform-contract.js';

const ROOM = 'contract-room@chatroom';
let mocker: mock.Mocker;
let puppet: PuppetMock;
let bot: mock.ContactMock;
let room: mock.RoomMock;
const contacts = new Map<string, mock.ContactMock>();
const heard = new Map<string, string[]>(); // a contact's or the room's id → what the bot said there

function listen(who: mock.ContactMock | mock.RoomMock) {
  heard.set(who.id, []);
  who.on('message', (m: mock.MessageMock) => {
    if (m.payload.talkerId === bot.id && m.payload.text) heard.get(who.id)!.push(m.payload.text);
  });
}

const ACCOUNTS = { teacher: 'wxid_teacher', principal: 'wxid_principal', cadre: 'wxid_cadre' };

platformContract({
  name: 'wechat',
  accounts: ACCOUNTS,
  group: ROOM,
  async start() {
    mocker = new mock.Mocker();
    puppet = new PuppetMock({ mocker });
    return { WECHATY_PUPPET: 'wechaty-puppet-mock', WECHATY_NAME: `contract-${process.pid}` };
  },
  create: async (rt) => createWechatAdapter({ puppet, name: `contract-${process.pid}`, printQr: () => undefined, log: rt.log }),
  async started() {
    bot = mocker.createContact({ name: '控辍保学助手' });
    mocker.login(bot);
    for (const id of Object.values(ACCOUNTS)) {
      const c = mocker.createContact({ id, name: id });
      contacts.set(id, c);
      listen(c);
    }
    room = mocker.createRoom({ id: ROOM, topic: '一(1)班家长群', memberIdList: [bot.id, ...Object.values(ACCOUNTS)] });
    listen(room);
  },
  stop: async () => undefined,
  async says(account, where, text) {
    contacts
      .get(account)!
      .say(text)
      .to(where === 'dm' ? bot : room);
  },
  delivered: (where, account): Delivered[] => (heard.get(where === 'dm' ? account! : ROOM) ?? []).map((text) => ({ text, actions: [] })),
  async press(account, d) {
    contacts
      .get(account)!
      .say(/「(收到 \d+)」/.exec(d.text)![1]!)
      .to(bot);
  },
  failNext() {
    const send = puppet.messageSendText.bind(puppet);
    puppet.messageSendText = async () => {
      puppet.messageSendText = send;
      throw new Error('puppet: connection reset');
    };
  },
});
