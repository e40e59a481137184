/** The WeCom adapter's pure parts: its XML reader, the crypto checks, text splitting, and what becomes Incoming. */
import fc from 'fast-check';
import { encrypt, getSignature } from '@wecom/crypto';
import { describe, expect, it } from 'vitest';
import { readXml } from '../../adapters/wecom/xml.js';
import { openCiphertext, signatureOk } from '../../adapters/wecom/callback-crypto.js';
import { splitText } from '../../adapters/wecom/outgoing.js';
import { toIncoming } from '../../adapters/wecom/inbound.js';
import { wecomWindows } from '../../adapters/wecom/config.js';
import { wecomXml } from '../fakes/wecom-api.js';
import { WECOM_APP } from './wecom-setup.js';

describe('wecom xml', () => {
  it('reads CDATA, plain numbers, entities and nested elements', () => {
    const xml =
      '<xml><ToUserName><![CDATA[ww01]]></ToUserName><CreateTime>1348831860</CreateTime><Content><![CDATA[a</Content>b]]></Content><Note>x &amp; y &lt;z&gt;</Note><SelectedItems><SelectedItem><QuestionKey><![CDATA[q1]]></QuestionKey></SelectedItem></SelectedItems></xml>';
    expect(readXml(xml)).toEqual({
      ToUserName: 'ww01',
      CreateTime: '1348831860',
      Content: 'a</Content>b',
      Note: 'x & y <z>',
      'SelectedItems.SelectedItem.QuestionKey': 'q1',
    });
    expect(() => readXml('<html></html>')).toThrow(/xml/);
  });

  it('any text a member types comes back exactly as written', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => readXml(wecomXml({ Content: text })).Content === text));
  });
});

describe('wecom callback crypto', () => {
  const ciphertext = encrypt(WECOM_APP.aesKey, '<xml/>', WECOM_APP.corpId);
  const q = { timestamp: '1763600000', nonce: 'n1', msg_signature: getSignature(WECOM_APP.token, '1763600000', 'n1', ciphertext) };

  it('accepts the documented signature only, over this very ciphertext', () => {
    expect(signatureOk(WECOM_APP.token, q, ciphertext)).toBe(true);
    expect(signatureOk('otherToken', q, ciphertext)).toBe(false);
    expect(signatureOk(WECOM_APP.token, { ...q, nonce: 'n2' }, ciphertext)).toBe(false);
    expect(signatureOk(WECOM_APP.token, q, encrypt(WECOM_APP.aesKey, '<xml/>', WECOM_APP.corpId))).toBe(false);
  });

  it("opens the app's messages (receive id = corp id) and a robot's (empty); refuses another receive id or another key", () => {
    expect(openCiphertext(WECOM_APP.aesKey, WECOM_APP.corpId, ciphertext)).toEqual({ message: '<xml/>', fromRobot: false });
    expect(openCiphertext(WECOM_APP.aesKey, WECOM_APP.corpId, encrypt(WECOM_APP.aesKey, '<xml/>', ''))).toEqual({ message: '<xml/>', fromRobot: true });
    expect(() => openCiphertext(WECOM_APP.aesKey, 'wwSomeoneElse', ciphertext)).toThrow(/receive id/);
    // Under another key the plaintext is garbage: refused, never taken for a robot's empty receive id.
    for (let i = 0; i < 50; i++) {
      const key = Buffer.from(Array.from({ length: 32 }, (_, j) => (i * 7 + j * 13) % 256))
        .toString('base64')
        .slice(0, 43);
      expect(() => openCiphertext(key, WECOM_APP.corpId, encrypt(WECOM_APP.aesKey, `<xml>${i}</xml>`, ''))).toThrow();
    }
  });
});

describe('wecom text', () => {
  it('splits into pieces of at most the limit, at line breaks when near, losing nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 300 }), { maxLength: 40 }), fc.integer({ min: 64, max: 2048 }), (lines, max) => {
        const text = lines.join('\n');
        const pieces = splitText(text, max);
        expect(pieces.every((p) => Buffer.byteLength(p) <= max)).toBe(true);
        expect(pieces.join('').replace(/\n/g, '')).toBe(text.replace(/\n/g, ''));
      }),
    );
  });
});

describe('wecom inbound', () => {
  const app = { fromRobot: false, robotName: () => undefined };
  const robot = { fromRobot: true, robotName: (key: string) => (key === 'k-123456789' ? '三(2)班' : undefined) };
  const base = { ToUserName: 'ww01', FromUserName: 'zhanghua', CreateTime: '1', AgentID: '1000002' };
  it('a member text is a DM, with a ChatId it is the app group chat; card presses are actions; the rest is ignored', () => {
    expect(toIncoming({ ...base, MsgType: 'text', Content: ' 情况 ', MsgId: '77' }, app)).toEqual({
      platform: 'wecom',
      accountId: 'zhanghua',
      chat: { platform: 'wecom', kind: 'dm', id: 'zhanghua' },
      text: '情况',
      platformMessageId: '77',
    });
    expect(toIncoming({ ...base, MsgType: 'text', Content: '绑定班级', MsgId: '78', ChatId: 'wrk1' }, app)?.chat).toEqual({
      platform: 'wecom',
      kind: 'group',
      id: 'wrk1',
    });
    expect(toIncoming({ ...base, MsgType: 'event', Event: 'template_card_event', EventKey: 'ack:12', TaskId: 't1' }, app)).toMatchObject({
      action: 'ack:12',
      text: '',
      chat: { kind: 'dm', id: 'zhanghua' },
      platformMessageId: 'card:zhanghua:t1:ack:12:1',
    });
    expect(toIncoming({ ...base, MsgType: 'image', PicUrl: 'http://x', MsgId: '79' }, app)).toBeUndefined();
    expect(toIncoming({ ...base, MsgType: 'event', Event: 'enter_agent' }, app)).toBeUndefined();
  });

  it("a robot's callback: @-mention stripped, its group by the key's configured name, single chats as DMs; unknown robots ignored", () => {
    const r = {
      WebhookUrl: 'http://in.qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-123456789',
      MsgId: 'abcd',
      ChatId: 'wrkX',
      ChatType: 'group',
      'From.UserId': 'zhanghua',
      'From.Name': '张华',
      MsgType: 'text',
      'Text.Content': '@班级助手 绑定班级',
    };
    expect(toIncoming(r, robot)).toEqual({
      platform: 'wecom',
      accountId: 'zhanghua',
      chat: { platform: 'wecom', kind: 'group', id: 'robot:三(2)班' },
      chatTitle: '三(2)班',
      text: '绑定班级',
      platformMessageId: 'robot:abcd',
    });
    expect(toIncoming({ ...r, ChatType: 'single', 'Text.Content': '情况' }, robot)).toMatchObject({ chat: { kind: 'dm', id: 'zhanghua' }, text: '情况' });
    expect(toIncoming({ ...r, WebhookUrl: 'http://in.qyapi.weixin.qq.com/cgi-bin/webhook/send?key=other-key-1' }, robot)).toBeUndefined();
    expect(toIncoming(r, app)).toBeUndefined();
  });

  it('limits per chat: 30/min to a member, 20/min to a group robot, 200/min in an app group chat', () => {
    expect(wecomWindows({ platform: 'wecom', kind: 'dm', id: 'u' })).toEqual([{ key: 'wecom:u/min', ms: 60_000, max: 30 }]);
    expect(wecomWindows({ platform: 'wecom', kind: 'group', id: 'robot:三(2)班' })[0]!.max).toBe(20);
    expect(wecomWindows({ platform: 'wecom', kind: 'group', id: 'wrk1' })[0]!.max).toBe(200);
  });
});
