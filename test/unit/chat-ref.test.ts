import { describe, expect, it } from 'vitest';
import { formatChatRef, parseChatRef, type ChatRef } from '../../src/core/chat-port.js';
import { withTextButtons } from '../../adapters/wechat/wechat-adapter.js';
import { actionText } from '../../src/core/router.js';

describe('chat refs round-trip for every platform', () => {
  const refs: ChatRef[] = [
    { platform: 'console', kind: 'dm', id: 'T0012' },
    { platform: 'console', kind: 'group', id: '三(2)班 家长群' },
    { platform: 'telegram', kind: 'group', id: '-1001234567890' },
    { platform: 'telegram', kind: 'dm', id: '1001' },
    { platform: 'slack', kind: 'group', id: 'C0123ABC' },
    { platform: 'slack', kind: 'dm', id: 'U0123ABC' },
    { platform: 'wechat', kind: 'group', id: '24113855649@chatroom' },
    { platform: 'wechat', kind: 'dm', id: 'wxid_abc:123' },
  ];
  for (const r of refs) it(formatChatRef(r), () => expect(parseChatRef(formatChatRef(r))).toEqual(r));
  it('refuses what is not a ref', () => expect(() => parseChatRef('telegram:1001')).toThrow());
});

describe('buttons without buttons', () => {
  it('a button press and its text equivalent are the same command', () => {
    expect(actionText('ack:12')).toBe('收到 12');
    expect(actionText('drop table')).toBeUndefined();
  });
  it('WeChat shows the text to reply', () => {
    const text = withTextButtons({
      id: 1,
      chat: { platform: 'wechat', kind: 'dm', id: 'x' },
      text: '预警',
      buttons: [{ action: 'ack:12', label: '已收到', textEquivalent: '收到 12' }],
    });
    expect(text).toBe('预警\n（已收到请回复「收到 12」）');
  });
});
