/**
 * A decrypted WeCom callback → Incoming. Text from a member to the app is a direct message (FromUserName is the
 * account); a message that carries a ChatId came from an app group chat (appchat). A press on a template card's
 * button (template_card_event) carries its key as the action. Other messages and events say nothing to the core.
 */
import type { Incoming } from '../types.js';
import { WECOM } from './config.js';

export function toIncoming(f: Record<string, string>): Incoming | undefined {
  const from = f.FromUserName;
  if (!from) return undefined;
  if (f.MsgType === 'text' && f.Content !== undefined) {
    const group = f.ChatId;
    return {
      platform: WECOM,
      accountId: from,
      chat: group ? { platform: WECOM, kind: 'group', id: group } : { platform: WECOM, kind: 'dm', id: from },
      text: f.Content.trim(),
      // WeCom retries a callback it got no answer to with the same MsgId: the core handles it once.
      ...(f.MsgId ? { platformMessageId: f.MsgId } : {}),
    };
  }
  if (f.MsgType === 'event' && f.Event === 'template_card_event' && f.EventKey) {
    return {
      platform: WECOM,
      accountId: from,
      chat: { platform: WECOM, kind: 'dm', id: from },
      text: '',
      action: f.EventKey,
      // Events have no MsgId; a retried event repeats its CreateTime.
      platformMessageId: `card:${from}:${f.TaskId ?? ''}:${f.EventKey}:${f.CreateTime ?? ''}`,
    };
  }
  return undefined;
}
