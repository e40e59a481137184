/**
 * Outgoing → the robot's send APIs: a direct message through `oToMessages/batchSend` (to one staff id), a group
 * message through `groupMessages/send` (to the open conversation id). Plain text is `sampleText`; a message with
 * buttons is an action card whose buttons are `dtmd://dingtalkclient/sendMessage` links: pressing one sends its text
 * equivalent (e.g. 收到 12) into the chat as the user, which the core reads like any typed reply. The card's text
 * also names the words to type, for clients that do not open such links. A file is uploaded to DingTalk's media
 * store and sent as the robot's file (or image) message.
 */
import { isImage, RateLimitedError, type Attachment, type Button, type ChatRef, type Outgoing } from '../../src/core/chat-port.js';
import type { DingtalkApi } from './api.js';

export interface RobotMessage {
  msgKey: string;
  msgParam: Record<string, string>;
}

/** The link that makes the DingTalk client send `text` as the user, in the chat where the card is. */
export function replyLink(text: string): string {
  return `dtmd://dingtalkclient/sendMessage?content=${encodeURIComponent(text)}`;
}

const typeHint = (buttons: Button[]) => buttons.map((b) => `（${b.label}请回复「${b.textEquivalent}」）`).join('\n');

/** Markdown keeps single line breaks only with two trailing spaces. */
const markdownLines = (s: string) => s.replace(/\r?\n/g, '  \n');

/** The action card templates: one button (`sampleActionCard`), or 2–5 stacked (`sampleActionCard2`…`5`). */
export function robotMessage(text: string, buttons: Button[] = []): RobotMessage {
  if (buttons.length === 0) return { msgKey: 'sampleText', msgParam: { content: text } };
  const shown = buttons.slice(0, 5);
  const title = text.split('\n')[0]!.slice(0, 40);
  const body = markdownLines(`${text}\n${typeHint(buttons)}`);
  if (shown.length === 1) {
    return { msgKey: 'sampleActionCard', msgParam: { title, text: body, singleTitle: shown[0]!.label, singleURL: replyLink(shown[0]!.textEquivalent) } };
  }
  const msgParam: Record<string, string> = { title, text: body };
  shown.forEach((b, i) => {
    msgParam[`actionTitle${i + 1}`] = b.label;
    msgParam[`actionURL${i + 1}`] = replyLink(b.textEquivalent);
  });
  return { msgKey: `sampleActionCard${shown.length}`, msgParam };
}

/** The robot message for an uploaded file: images as `sampleImageMsg`, anything else as `sampleFile`. */
export function fileMessage(a: Attachment, mediaId: string): RobotMessage {
  if (isImage(a)) return { msgKey: 'sampleImageMsg', msgParam: { photoURL: mediaId } };
  const ext = /\.([A-Za-z0-9]+)$/.exec(a.filename)?.[1]?.toLowerCase() ?? 'file';
  return { msgKey: 'sampleFile', msgParam: { mediaId, fileName: a.filename, fileType: ext } };
}

interface BatchSendAnswer {
  invalidStaffIdList?: string[];
  flowControlledStaffIdList?: string[];
}

export async function post(api: DingtalkApi, robotCode: string, chat: ChatRef, m: RobotMessage): Promise<void> {
  const common = { robotCode, msgKey: m.msgKey, msgParam: JSON.stringify(m.msgParam) };
  if (chat.kind === 'group') {
    await api.call('/v1.0/robot/groupMessages/send', { ...common, openConversationId: chat.id });
    return;
  }
  const r = await api.call<BatchSendAnswer>('/v1.0/robot/oToMessages/batchSend', { ...common, userIds: [chat.id] });
  // A 200 can still leave the one recipient out: throttled for that user, or not a member the robot can reach.
  if (r.flowControlledStaffIdList?.includes(chat.id)) throw new RateLimitedError(60, `rate limited: retry after 60s (user ${chat.id} flow-controlled)`);
  if (r.invalidStaffIdList?.includes(chat.id)) throw new Error(`dingtalk: ${chat.id} is not a staff id the robot can reach`);
}

export async function deliver(api: DingtalkApi, robotCode: string, m: Outgoing): Promise<void> {
  await post(api, robotCode, m.chat, robotMessage(m.text, m.buttons));
  const a = m.attachment;
  if (a) {
    const mediaId = await api.uploadMedia(a, isImage(a) ? 'image' : 'file');
    await post(api, robotCode, m.chat, fileMessage(a, mediaId));
  }
}
