/** Environment configuration, validated by zod. A bad value stops the start with one line per problem. */
import { z } from 'zod';
import { crossChecks } from './config-checks.js';
import { PLATFORMS } from '../adapters/registry.js';
import { ATTENTION_ESCALATE_DEFAULT, ATTENTION_ESCALATE_EXAMPLE, parseAttentionRules } from './domain/attention.js';

/** A real calendar date: 2026-02-30 is refused, not rolled over into March. */
export function isRealDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
const dateStr = z.string().refine(isRealDate, { error: (iss) => `“${String(iss.input)}”不是有效日期，格式应为 YYYY-MM-DD，如 2026-10-08` });
const dateList = z
  .string()
  .default('')
  .transform((s) => s.split(/[,，\s]+/).filter(Boolean))
  .pipe(z.array(dateStr));
const termList = z
  .string()
  .default('2026秋季学期:2026-09-01..2027-01-22;2027春季学期:2027-02-22..2027-07-02')
  .transform((s, ctx) => {
    const out: { name: string; start: string; end: string }[] = [];
    for (const part of s
      .split(';')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const m = /^(.+?):(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(part);
      if (!m || !isRealDate(m[2]!) || !isRealDate(m[3]!) || m[2]! > m[3]!) {
        ctx.addIssue({ code: 'custom', message: `"${part}" 应为 名称:开始..结束（真实日期，开始不晚于结束），如 2026秋季学期:2026-09-01..2027-01-22` });
        return z.NEVER;
      }
      out.push({ name: m[1]!, start: m[2]!, end: m[3]! });
    }
    return out;
  });
const rangeList = z
  .string()
  .default('')
  .transform((s, ctx) => {
    const out: { name?: string; start: string; end: string }[] = [];
    for (const part of s
      .split(';')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const m = /^(?:(.+?):)?(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(part);
      if (!m || !isRealDate(m[2]!) || !isRealDate(m[3]!) || m[2]! > m[3]!) {
        ctx.addIssue({ code: 'custom', message: `"${part}" 应为 [名称:]开始..结束（真实日期，开始不晚于结束），如 寒假:2027-01-23..2027-02-21` });
        return z.NEVER;
      }
      out.push({ ...(m[1] ? { name: m[1] } : {}), start: m[2]!, end: m[3]! });
    }
    return out;
  });
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, '不是有效的 IANA 时区，如 Asia/Shanghai');
const ratio = z.coerce.number({ error: '应为 0 到 1 之间的小数，如 0.005' }).min(0, '不能小于 0').max(1, '不能大于 1');
const days = z.coerce.number({ error: '应为天数（整数），如 2' }).int('应为整数').min(1, '至少为 1').max(60, '不能超过 60');

const WEEKDAYS: Record<string, number> = {
  MON: 1,
  TUE: 2,
  WED: 3,
  THU: 4,
  FRI: 5,
  SAT: 6,
  SUN: 7,
  周一: 1,
  周二: 2,
  周三: 3,
  周四: 4,
  周五: 5,
  周六: 6,
  周日: 7,
  周天: 7,
};
const hhmm = /^([01]?\d|2[0-3]):([0-5]\d)$/;
/** "HH:MM" → minutes after midnight. */
const timeOfDay = z
  .string()
  .regex(hhmm, '应为 时:分，如 17:00')
  .transform((s) => {
    const [h, m] = s.split(':').map(Number);
    return h! * 60 + m!;
  });
/** "FRI 15:00" / "周五 15:00" → ISO weekday (1 = Monday) and minutes. */
const weeklyAt = z.string().transform((s, ctx) => {
  const m = /^(\S+)\s+(\d{1,2}:\d{2})$/.exec(s.trim());
  const weekday = m ? WEEKDAYS[m[1]!.toUpperCase()] : undefined;
  if (!m || !weekday || !hhmm.test(m[2]!)) {
    ctx.addIssue({ code: 'custom', message: '应为 星期 时:分，如 FRI 15:00 或 周五 15:00' });
    return z.NEVER;
  }
  const [h, min] = m[2]!.split(':').map(Number);
  return { weekday, minutes: h! * 60 + min! };
});
/** "20 09:00,22 09:00" → days of month with times, in order. */
const monthlyAt = z.string().transform((s, ctx) => {
  const out: { day: number; minutes: number }[] = [];
  for (const part of s
    .split(/[,，]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(\d{1,2})\s+(\d{1,2}):(\d{2})$/.exec(part);
    const day = m ? Number(m[1]) : 0;
    if (!m || day < 1 || day > 28 || !hhmm.test(`${m[2]}:${m[3]}`)) {
      ctx.addIssue({ code: 'custom', message: `"${part}" 应为 日 时:分（日为 1–28），如 20 09:00` });
      return z.NEVER;
    }
    out.push({ day, minutes: Number(m[2]) * 60 + Number(m[3]) });
  }
  return out.sort((a, b) => a.day - b.day || a.minutes - b.minutes);
});
const quietHours = z
  .string()
  .default('21:00-07:00')
  .transform((s, ctx) => {
    if (s === 'off') return null;
    const m = /^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$/.exec(s.replace(/\s/g, ''));
    if (!m || !hhmm.test(m[1]!) || !hhmm.test(m[2]!) || m[1] === m[2]) {
      ctx.addIssue({ code: 'custom', message: '应为 开始-结束，如 21:00-07:00；不要免打扰时段请写 off' });
      return z.NEVER;
    }
    const toMin = (t: string) => Number(t.split(':')[0]) * 60 + Number(t.split(':')[1]);
    return { start: toMin(m[1]!), end: toMin(m[2]!) };
  });
const monthList = z
  .string()
  .default('3,9')
  .transform((s) =>
    s
      .split(/[,，\s]+/)
      .filter(Boolean)
      .map(Number),
  )
  .pipe(z.array(z.number({ error: '应为月份，如 3,9' }).int('应为 1–12 的整数').min(1, '应为 1–12').max(12, '应为 1–12')));
/** `left_behind,poor:village+principal` → who else hears of these pupils' absence from the first day (domain/attention.ts). */
const attentionRules = z
  .string()
  .default(ATTENTION_ESCALATE_DEFAULT)
  .transform((s, ctx) => {
    const r = parseAttentionRules(s);
    if ('rules' in r) return r.rules;
    for (const message of r.problems) ctx.addIssue({ code: 'custom', message: `${message}；例如 ${ATTENTION_ESCALATE_EXAMPLE}，不需要请写 off` });
    return z.NEVER;
  });
const bool = z.enum(['true', 'false'], { error: '只能是 true 或 false' }).transform((s) => s === 'true');
const hours = z.coerce
  .number({ error: '应为小时数，如 3' })
  .positive('应大于 0')
  .max(24 * 14, '不能超过 336');
const perUnit = (example: string) =>
  z.coerce
    .number({ error: `应为正整数，如 ${example}` })
    .int('应为整数')
    .min(1, '至少为 1');

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/** Every registered platform's variables in one shape (a name used twice would be a bug in a platform folder). */
type PlatformShape = UnionToIntersection<(typeof PLATFORMS)[number]['configSchema']['shape']>;
const platformShape = {} as PlatformShape;
for (const p of PLATFORMS) {
  for (const [name, field] of Object.entries(p.configSchema.shape)) {
    if (name in platformShape) throw new Error(`platform ${p.name}: variable ${name} is already another platform's`);
    (platformShape as Record<string, unknown>)[name] = field;
  }
}

export const configSchema = z.object({
  DATABASE_URL: z
    .string()
    .refine(
      (u) => u.startsWith('file:') || /^postgres(ql)?:\/\/\S+$/i.test(u),
      '支持 SQLite 文件或 PostgreSQL 数据库，如 file:./data/kongchuo.db 或 postgresql://用户:密码@127.0.0.1:5432/kongchuo',
    )
    .refine(
      (u) => !u.startsWith('file:') || !['file:', 'file::memory:'].includes(u.replace(/\s/g, '')),
      '缺少数据库文件路径（空路径或 :memory: 是临时数据库，退出时数据全部丢失），如 file:./data/kongchuo.db',
    )
    .default('file:./data/kongchuo.db'),
  TIMEZONE: timeZone.default('Asia/Shanghai'),
  LOCALE: z.enum(['zh-CN', 'en'], { error: '只能是 zh-CN 或 en' }).default('zh-CN'),
  COUNTY_NAME: z.string().min(1).default('示范县'),
  TERMS: termList,
  VACATIONS: rangeList,
  EXTRA_HOLIDAYS: dateList,
  EXTRA_SCHOOL_DAYS: dateList,
  ABSENCE_CALL_AFTER_DAYS: days.default(1),
  ABSENCE_JOINT_VISIT_AFTER_DAYS: days.default(2),
  ABSENCE_SUSPECTED_AFTER_DAYS: days.default(3),
  CHRONIC_ABSENCE_RATIO: ratio.default(0.1),
  TARGET_PRIMARY_DROPOUT_MAX: ratio.default(0.005),
  TARGET_JUNIOR_DROPOUT_MAX: ratio.default(0.018),
  TARGET_CONSOLIDATION_MIN: ratio.default(0.85),
  TARGET_PRIMARY_ENROLMENT_MIN: ratio.default(0.99),
  TARGET_JUNIOR_GROSS_ENROLMENT_MIN: ratio.default(0.95),
  INVITE_TTL_HOURS: z.coerce
    .number({ error: '应为小时数（整数），如 72' })
    .int('应为整数')
    .min(1, '至少为 1')
    .max(24 * 30, '不能超过 720')
    .default(72),
  /** Every platform's API calls go through it (Telegram, Slack, WeCom, DingTalk; WeChat's puppet service by grpc_proxy). */
  HTTPS_PROXY: z.url({ error: '应为代理网址，如 http://127.0.0.1:7890' }).optional(),
  WEEKLY_PROMPT_AT: weeklyAt.default({ weekday: 5, minutes: 15 * 60 }),
  WEEKLY_REMINDER_AFTER_HOURS: hours.default(3),
  WEEKLY_CUTOFF_AT: timeOfDay.default(20 * 60),
  DAILY_CUTOFF_AT: timeOfDay.default(17 * 60),
  ALERT_REMIND_AFTER_HOURS: hours.default(2),
  HOME_VISIT_WITHIN_HOURS: hours.default(24),
  ATTENTION_ESCALATE: attentionRules,
  SCHOOL_REPORT_REMINDERS: monthlyAt.default([
    { day: 20, minutes: 9 * 60 },
    { day: 22, minutes: 9 * 60 },
    { day: 23, minutes: 8 * 60 },
  ]),
  SCHOOL_REPORT_DEADLINE: monthlyAt.default([{ day: 23, minutes: 17 * 60 }]),
  TOWN_REPORT_REMINDERS: monthlyAt.default([
    { day: 24, minutes: 9 * 60 },
    { day: 25, minutes: 8 * 60 },
  ]),
  TOWN_REPORT_DEADLINE: monthlyAt.default([{ day: 25, minutes: 17 * 60 }]),
  RETURN_CHECK_AT: timeOfDay.default(8 * 60 + 30),
  RETURN_CHECK_AFTER_DAYS_OFF: days.default(3),
  /** School days a returned pupil is followed after 复学 (one unexcused day then means a joint home visit). */
  FOLLOW_UP_SCHOOL_DAYS: z.coerce.number({ error: '应为上学日天数（整数），如 30' }).int('应为整数').min(1, '至少为 1').max(200, '不能超过 200').default(30),
  CAMPAIGN_MONTHS: monthList,
  CAMPAIGN_DIGEST_AT: weeklyAt.default({ weekday: 1, minutes: 9 * 60 }),
  QUIET_HOURS: quietHours,
  QUIET_HOURS_HOLD_URGENT: bool.default(false),
  OUTBOX_MAX_ATTEMPTS: perUnit('5').max(50, '不能超过 50').default(5),
  OUTBOX_RETRY_BASE_SECONDS: perUnit('30').max(3600, '不能超过 3600').default(30),
  OUTBOX_LEASE_SECONDS: perUnit('300').min(2, '至少为 2').max(3600, '不能超过 3600').default(300),
  OUTBOX_SEND_TIMEOUT_SECONDS: perUnit('30').max(600, '不能超过 600').default(30),
  OUTBOX_DIGEST_MINUTES: perUnit('15')
    .max(24 * 60, '不能超过 1440')
    .default(15),
  OUTBOX_RETENTION_DAYS: perUnit('30').max(3650, '不能超过 3650').default(30),
  OUTBOX_RATE_MARGIN_MS: z.coerce.number({ error: '应为毫秒数（整数），如 500' }).int('应为整数').min(0, '不能小于 0').max(5000, '不能超过 5000').default(500),
  REPORTS_DIR: z.string().min(1).default('./data/reports'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error'], { error: '只能是 debug、info、warn 或 error' }).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty'], { error: '只能是 auto、json 或 pretty' }).default('auto'),
  HEALTH_PORT: z
    .string()
    .default('9464')
    .transform((s, ctx) => {
      if (s === 'off') return null;
      const n = Number(s);
      if (!Number.isInteger(n) || n < 1 || n > 65535) {
        ctx.addIssue({ code: 'custom', message: '应为端口号（1–65535），如 9464；不要健康检查端口请写 off' });
        return z.NEVER;
      }
      return n;
    }),
  HEALTH_HOST: z
    .string()
    .regex(/^[\w.:-]+$/, '应为监听地址，如 127.0.0.1')
    .default('127.0.0.1'),
  // Each platform's own variables, from its folder (adapters/<platform>/platform.ts), listed in adapters/registry.ts.
  ...platformShape,
});

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置有误 / invalid configuration:\n${problems.join('\n')}`);
  }
}

/**
 * Parses an environment; empty strings count as unset. Every variable is checked on its own first, then the rules
 * between variables (for those that parsed), so one run names every bad variable at once.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v.trim() !== '') cleaned[key] = v.trim();
  }
  const problems: string[] = [];
  const parsed: Record<string, unknown> = {};
  const bad = new Set<string>();
  const line = (name: string, message: string) => `${name}: ${message}${cleaned[name] !== undefined ? `（当前值 "${cleaned[name]}"）` : ''}`;
  for (const [key, field] of Object.entries(configSchema.shape) as [string, z.ZodType][]) {
    const r = field.safeParse(cleaned[key]);
    if (r.success) parsed[key] = r.data;
    else {
      bad.add(key);
      for (const i of r.error.issues) problems.push(line(key, i.message));
    }
  }
  // A variable that failed on its own is named once, by its own line, not again by a rule that missed it.
  for (const p of crossChecks(parsed as Partial<Config>)) if (!bad.has(p.name)) problems.push(line(p.name, p.message));
  if (problems.length > 0) throw new ConfigError(problems);
  return parsed as Config;
}
