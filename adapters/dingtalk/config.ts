/**
 * DingTalk's own environment variables, merged into the project's config schema. Only zod here, so loading the
 * configuration never loads the Stream SDK.
 */
import { z } from 'zod';

const port = (example: string) =>
  z.coerce
    .number({ error: `应为端口号，如 ${example}` })
    .int()
    .min(1)
    .max(65535);

export const dingtalkConfigSchema = z.object({
  DINGTALK_CLIENT_ID: z
    .string()
    .regex(/^[\w-]{8,64}$/, '应为钉钉开发者后台“凭证与基础信息”里的 Client ID（原 AppKey），如 dingabcdefgh12345678')
    .optional(),
  DINGTALK_CLIENT_SECRET: z
    .string()
    .regex(/^[\w-]{16,128}$/, '应为同一页上的 Client Secret（原 AppSecret）')
    .optional(),
  DINGTALK_ROBOT_CODE: z
    .string()
    .regex(/^[\w-]{8,64}$/, '应为机器人的 RobotCode（企业内部应用的机器人通常与 Client ID 相同），如 dingabcdefgh12345678')
    .optional(),
  DINGTALK_MODE: z.enum(['stream', 'http'], { error: '只能是 stream 或 http' }).default('stream'),
  DINGTALK_CALLBACK_PORT: port('8091').default(8091),
  DINGTALK_CALLBACK_PATH: z
    .string()
    .regex(/^\/[\w\-./]*$/, '应为以 / 开头的路径，如 /dingtalk/callback')
    .default('/dingtalk/callback'),
  DINGTALK_PUBLIC_URL: z.url({ error: '应为钉钉能访问到的网址，如 https://bot.example.org/dingtalk/callback' }).optional(),
  DINGTALK_API_BASE: z.url({ error: '应为网址，如 https://api.dingtalk.com' }).default('https://api.dingtalk.com'),
  DINGTALK_OAPI_BASE: z.url({ error: '应为网址，如 https://oapi.dingtalk.com' }).default('https://oapi.dingtalk.com'),
  DINGTALK_STREAM_ENDPOINT: z
    .url({ error: '应为网址，如 https://api.dingtalk.com/v1.0/gateway/connections/open' })
    .default('https://api.dingtalk.com/v1.0/gateway/connections/open'),
});

export type DingtalkConfig = z.output<typeof dingtalkConfigSchema>;

/** The variables without which DingTalk cannot run. */
export type DingtalkReady = DingtalkConfig & { DINGTALK_CLIENT_ID: string; DINGTALK_CLIENT_SECRET: string };

export function dingtalkConfigured(c: DingtalkConfig): c is DingtalkReady {
  return Boolean(c.DINGTALK_CLIENT_ID && c.DINGTALK_CLIENT_SECRET);
}

/**
 * Delivery limits as DingTalk documents them, for the dispatcher:
 * - a robot sends at most 20 messages a minute into one group; past that the group is blocked for 10 minutes;
 * - each app may call each server API about 20 times a second (the standard edition's per-app QPS; over it the
 *   call is refused with `Forbidden.AccessDenied.QpsLimitForAppkeyAndApi` for about a second).
 * Every send is one API call; a message with a file is three (the text, the upload, the file message).
 */
export const limits = {
  perApiPerSecond: 20,
  perGroupPerMinute: 20,
  groupBlockSeconds: 600,
} as const;
