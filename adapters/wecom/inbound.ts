/**
 * A decrypted WeCom callback → Incoming. From the app: text from a member is a direct message (FromUserName is the
 * account); a message that carries a ChatId came from an app group chat (appchat); a press on a template card's
 * button (template_card_event) carries its key as the action. From a group robot's callback: text where the robot
 * was @-mentioned, in the class group the robot belongs to (`robot:<name>`, the name its key has in
 * WECOM_GROUP_ROBOT_WEBHOOKS), or in a one-to-one chat with the robot (a DM). Anything else says nothing to the core.
 */
import type { Incoming } from '../../src/core/chat-port.js';
import { WECOM } from './config.js';

export interface Source {
  fromRobot: boolean;
  /** The configured name of the robot with this webhook key, if any. */
  robotName: (key: string) => string | undefined;
}

export function toIncoming(f: Record<string, string>, source: Source): Incoming | undefined {
  return source.fromRobot ? fromRobot(f, source.robotName) : fromApp(f);
}

function fromApp(f: Record<string, string>): Incoming | undefined {
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

function fromRobot(f: Record<string, string>, robotName: Source['robotName']): Incoming | undefined {
  const user = f['From.UserId'];
  const content = f['Text.Content'];
  if (!user || f.MsgType !== 'text' || content === undefined) return undefined;
  let chat: Incoming['chat'] = { platform: WECOM, kind: 'dm', id: user };
  if (f.ChatType !== 'single') {
    const key = /[?&]key=([\w-]+)/.exec(f.WebhookUrl ?? '')?.[1];
    const name = key ? robotName(key) : undefined;
    if (!name) return undefined;
    chat = { platform: WECOM, kind: 'group', id: `robot:${name}` };
  }
  return {
    platform: WECOM,
    accountId: user,
    chat,
    ...(chat.kind === 'group' ? { chatTitle: chat.id.slice('robot:'.length) } : {}),
    // "@班级助手 绑定班级": the robot only hears messages that mention it; the mention is not part of the command.
    text: content.replace(/^\s*(?:@\S+\s*)+/, '').trim(),
    ...(f.MsgId ? { platformMessageId: `robot:${f.MsgId}` } : {}),
  };
}
