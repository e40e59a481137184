/**
 * A robot message (the same JSON in Stream mode and in the HTTP callback) → Incoming, and the HTTP callback's
 * signature check. `conversationType` "1" is a single chat with the robot, "2" a group where the robot was @-ed.
 */
import crypto from 'node:crypto';
import type { Incoming } from '../../src/core/chat-port.js';

export interface RobotCallback {
  msgId?: string;
  msgtype?: string;
  text?: { content?: string };
  conversationType?: string;
  conversationId?: string;
  conversationTitle?: string;
  senderId?: string;
  /** The sender's userid in the organisation: what `oToMessages/batchSend` addresses. Absent for outsiders. */
  senderStaffId?: string;
}

/** Only text is read; pictures, voice and files are not messages the core understands. */
export function toIncoming(m: RobotCallback): Incoming | undefined {
  const account = m.senderStaffId || m.senderId;
  if (m.msgtype !== 'text' || typeof m.text?.content !== 'string' || !account || !m.msgId) return undefined;
  const group = m.conversationType === '2';
  if (group && !m.conversationId) return undefined;
  return {
    platform: 'dingtalk',
    accountId: account,
    chat: { platform: 'dingtalk', kind: group ? 'group' : 'dm', id: group ? m.conversationId! : account },
    ...(group && m.conversationTitle ? { chatTitle: m.conversationTitle } : {}),
    text: m.text.content.trim(),
    platformMessageId: m.msgId,
  };
}

/** The signature DingTalk sends with a callback: base64(HmacSHA256(key = appSecret, timestamp + "\n" + appSecret)). */
export function callbackSign(timestamp: string, appSecret: string): string {
  return crypto.createHmac('sha256', appSecret).update(`${timestamp}\n${appSecret}`).digest('base64');
}

/** How far the callback's timestamp (ms) may be from now, as DingTalk documents: one hour. */
export const CALLBACK_MAX_SKEW_MS = 60 * 60_000;

export type SignCheck = 'ok' | 'missing' | 'stale' | 'bad-sign';

export function checkCallbackSign(timestamp: unknown, sign: unknown, appSecret: string, nowMs: number): SignCheck {
  if (typeof timestamp !== 'string' || typeof sign !== 'string' || !/^\d{10,16}$/.test(timestamp)) return 'missing';
  if (Math.abs(nowMs - Number(timestamp)) > CALLBACK_MAX_SKEW_MS) return 'stale';
  const expected = Buffer.from(callbackSign(timestamp, appSecret));
  const given = Buffer.from(sign);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given) ? 'ok' : 'bad-sign';
}
