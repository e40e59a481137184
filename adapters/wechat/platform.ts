/**
 * WeChat (a personal account through a Wechaty puppet) as the registry sees it. A personal account gets restricted
 * for bulk sending: 1 message a second overall and a daily cap, both settings.
 */
import { z } from 'zod';
import { definePlatform } from '../../src/core/platform.js';
import { perUnit } from '../fields.js';

export const wechatConfigSchema = z.object({
  WECHATY_PUPPET: z
    .string()
    .regex(/^(@[\w-]+\/)?[\w-]+$/, '应为 Wechaty puppet 包名，如 wechaty-puppet-service')
    .optional(),
  WECHATY_PUPPET_SERVICE_TOKEN: z.string().min(8, '应为 puppet service 服务商给的令牌').optional(),
  WECHATY_PUPPET_SERVICE_ENDPOINT: z
    .string()
    .regex(/^[\w.-]+:\d+$/, '应为 主机:端口，如 127.0.0.1:8788')
    .optional(),
  WECHATY_NAME: z
    .string()
    .regex(/^[\w-]+$/, '只能用字母、数字、-、_')
    .default('kongchuo-bot'),
  WECHAT_MAX_PER_SECOND: perUnit('1').default(1),
  WECHAT_MAX_PER_DAY: perUnit('500').default(500),
});

export const wechat = definePlatform({
  name: 'wechat',
  configSchema: wechatConfigSchema,
  concurrency: 1,
  configured: (c) => Boolean(c.WECHATY_PUPPET),
  checks: (c) =>
    c.WECHATY_PUPPET === 'wechaty-puppet-service' && !c.WECHATY_PUPPET_SERVICE_TOKEN
      ? [{ name: 'WECHATY_PUPPET_SERVICE_TOKEN', message: '使用 wechaty-puppet-service 时必须设置服务令牌' }]
      : [],
  limits: (c) => ({
    windows: () => [{ key: 'wechat', ms: 1000, max: c.WECHAT_MAX_PER_SECOND }],
    historyMs: 1000,
    perDay: c.WECHAT_MAX_PER_DAY,
  }),
  async create(c, rt) {
    if (!c.WECHATY_PUPPET) throw new Error('wechat: WECHATY_PUPPET is not set');
    // The WeChat puppet service speaks gRPC, whose client takes its proxy from grpc_proxy.
    if (rt.proxy) process.env.grpc_proxy ??= rt.proxy;
    const puppetOptions = {
      ...(c.WECHATY_PUPPET_SERVICE_TOKEN ? { token: c.WECHATY_PUPPET_SERVICE_TOKEN } : {}),
      ...(c.WECHATY_PUPPET_SERVICE_ENDPOINT ? { endpoint: c.WECHATY_PUPPET_SERVICE_ENDPOINT } : {}),
    };
    const { createWechatAdapter } = await import('./wechat-adapter.js');
    return createWechatAdapter({ puppet: c.WECHATY_PUPPET, puppetOptions, name: c.WECHATY_NAME, log: rt.log });
  },
});
