/**
 * WeCom's own settings and delivery limits, as data. Pure (zod only), so `src/config.ts` can merge the schema and
 * the dispatcher can read the limits without loading the adapter.
 */
import { z } from 'zod';
import type { ChatRef } from '../../src/core/chat-port.js';

export const WECOM = 'wecom';

/** `三(2)班=<key>,初一(1)班=https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=<key>` → name → key. */
const robotList = z
  .string()
  .default('')
  .transform((s, ctx) => {
    const out: Record<string, string> = {};
    for (const part of s
      .split(/[;；\n]/)
      .map((p) => p.trim())
      .filter(Boolean)) {
      const m = /^([^=\s:]+)\s*=\s*(\S+)$/.exec(part);
      const key = m ? (/[?&]key=([\w-]+)/.exec(m[2]!)?.[1] ?? (/^[\w-]{8,}$/.test(m[2]!) ? m[2]! : undefined)) : undefined;
      if (!m || !key) {
        ctx.addIssue({
          code: 'custom',
          message: `"${part}" 应为 群名=机器人webhook地址或key（多个用 ; 分隔），如 三(2)班=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa`,
        });
        return z.NEVER;
      }
      out[m[1]!] = key;
    }
    return out;
  });

export const wecomConfigSchema = z.object({
  WECOM_CORP_ID: z
    .string()
    .regex(/^[A-Za-z0-9]{8,32}$/, '应为企业ID（“我的企业”页最下方），如 ww1234567890abcdef')
    .optional(),
  WECOM_AGENT_ID: z.coerce.number({ error: '应为自建应用的 AgentId（数字），如 1000002' }).int('应为整数').positive('应为正整数').optional(),
  WECOM_SECRET: z
    .string()
    .regex(/^[\w-]{16,64}$/, '应为自建应用的 Secret（在企业微信里查看）')
    .optional(),
  WECOM_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9]{3,32}$/, '应为“接收消息”设置里的 Token（英文或数字，最长 32 位）')
    .optional(),
  WECOM_ENCODING_AES_KEY: z
    .string()
    .regex(/^[A-Za-z0-9]{43}$/, '应为“接收消息”设置里的 EncodingAESKey（43 位英文或数字）')
    .optional(),
  WECOM_CALLBACK_PORT: z.coerce.number({ error: '应为端口号，如 8090' }).int().min(1).max(65535).default(8090),
  WECOM_CALLBACK_PATH: z
    .string()
    .regex(/^\/[\w./-]*$/, '应为以 / 开头的路径，如 /wecom/callback')
    .default('/wecom/callback'),
  WECOM_PUBLIC_URL: z.url({ error: '应为企业微信能访问到的回调网址，如 https://bot.example.edu.cn/wecom/callback' }).optional(),
  WECOM_API_BASE: z.url({ error: '应为网址，如 https://qyapi.weixin.qq.com' }).default('https://qyapi.weixin.qq.com'),
  WECOM_GROUP_ROBOT_WEBHOOKS: robotList,
});

export type WecomConfig = z.output<typeof wecomConfigSchema>;

const REQUIRED = ['WECOM_CORP_ID', 'WECOM_AGENT_ID', 'WECOM_SECRET', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY'] as const;

/** Whether WeCom is configured: all of the app's variables, none of them, or the missing ones named. */
export function wecomConfigured(c: Partial<WecomConfig>): { configured: boolean; missing: string[] } {
  const missing = REQUIRED.filter((k) => c[k] === undefined);
  return { configured: missing.length === 0, missing: missing.length === REQUIRED.length ? [] : missing };
}

/**
 * WeCom's documented sending limits (developer.work.weixin.qq.com, 发送应用消息 / 发送消息到群聊会话 / 群机器人配置说明).
 * Beyond the per-member limits WeCom drops messages silently (the API still answers ok), so the dispatcher must stay
 * under them itself; a 45009/45033 answer becomes a RateLimitedError.
 */
export const wecomLimits = {
  /** An app to one member: 30 messages a minute and 1,000 an hour; more are dropped, not refused. */
  perMemberPerMinute: 30,
  perMemberPerHour: 1000,
  /** An app over a day: the company's seat limit × 200 person-times (a message to 1 member is 1). */
  personTimesPerSeatPerDay: 200,
  /** App group chats: 20,000 person-times a minute per company; a member receives at most 200 a minute and 10,000 a day from one app. */
  appchatPersonTimesPerMinute: 20_000,
  appchatPerMemberPerMinute: 200,
  appchatPerMemberPerDay: 10_000,
  /** A group robot: 20 messages a minute. */
  robotPerMinute: 20,
  /** Any one API per company: 10,000 calls a minute, 150,000 an hour. */
  apiCallsPerMinute: 10_000,
  apiCallsPerHour: 150_000,
  /** Text content of a message (app or robot): 2,048 bytes of UTF-8. */
  textMaxBytes: 2048,
} as const;

/** The sliding windows (≤ 1 minute, as the dispatcher's limiter keeps) for one chat, in the limiter's shape. */
export function wecomWindows(chat: ChatRef): { key: string; ms: number; max: number }[] {
  if (chat.kind === 'dm') return [{ key: `wecom:${chat.id}/min`, ms: 60_000, max: wecomLimits.perMemberPerMinute }];
  if (chat.id.startsWith('robot:')) return [{ key: `wecom:${chat.id}/min`, ms: 60_000, max: wecomLimits.robotPerMinute }];
  return [{ key: `wecom:${chat.id}/min`, ms: 60_000, max: wecomLimits.appchatPerMemberPerMinute }];
}
