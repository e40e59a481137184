/**
 * The registry: every platform's variables are its own and reach the configuration (each bad value named, the
 * platforms' rules between variables still checked); limits come from the descriptors; and reading the
 * configuration loads no platform SDK (measured in a child process on the build `npm start` runs).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PLATFORMS, REGISTRY, platformNamed } from '../../adapters/registry.js';
import { ConfigError, configSchema, loadConfig } from '../../src/config.js';
import { DEFAULT_CONCURRENCY, platformLimits } from '../../src/delivery/options.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
};

describe('the platform registry', () => {
  it('lists each platform once; every variable of a platform carries its name and is in the configuration', () => {
    expect(new Set(PLATFORMS.map((p) => p.name)).size).toBe(PLATFORMS.length);
    expect(REGISTRY.map((p) => p.name)).toEqual(['telegram', 'slack', 'wechat', 'wecom', 'dingtalk', 'console']);
    for (const p of REGISTRY) {
      for (const name of Object.keys(p.configSchema.shape)) {
        expect(name.startsWith(p.name.toUpperCase()), `${name} belongs to ${p.name}`).toBe(true);
        expect(configSchema.shape, name).toHaveProperty(name);
      }
    }
    expect(platformNamed('wecom')?.name).toBe('wecom');
    expect(platformNamed('fax')).toBeUndefined();
  });

  it("a bad value of any platform's variable is named with its current value, all in one run", () => {
    const bad = { TELEGRAM_BOT_TOKEN: 'nonsense', SLACK_MODE: 'carrier-pigeon', WECHAT_MAX_PER_DAY: '0', WECOM_CALLBACK_PORT: '99999', DINGTALK_MODE: 'fax' };
    const lines = problems(bad);
    for (const [name, value] of Object.entries(bad))
      expect(
        lines.some((l) => l.startsWith(`${name}:`) && l.includes(`当前值 "${value}"`)),
        name,
      ).toBe(true);
  });

  it("the platforms' own rules between variables run, and a variable bad on its own is named once", () => {
    expect(problems({ TELEGRAM_BOT_TOKEN: '1:abc', TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/tg' })).toEqual([
      expect.stringMatching(/^TELEGRAM_WEBHOOK_SECRET: 使用 webhook 时必须设置密钥/),
    ]);
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1' }).map((l) => l.split(':')[0])).toEqual(['SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN']);
    expect(problems({ WECHATY_PUPPET: 'wechaty-puppet-service' })[0]).toMatch(/^WECHATY_PUPPET_SERVICE_TOKEN: /);
    // half a WeCom app: the missing ones named; the one set but malformed only by its own line
    const wecom = problems({ WECOM_CORP_ID: 'ww0123456789abcdef', WECOM_SECRET: 'short' });
    expect(wecom.filter((l) => l.startsWith('WECOM_SECRET:'))).toEqual([expect.stringContaining('应为自建应用的 Secret')]);
    expect(wecom.map((l) => l.split(':')[0]).sort()).toEqual(['WECOM_AGENT_ID', 'WECOM_ENCODING_AES_KEY', 'WECOM_SECRET', 'WECOM_TOKEN']);
    // and the configuration's own cross-checks still run beside them
    expect(
      problems({ OUTBOX_LEASE_SECONDS: '60', OUTBOX_SEND_TIMEOUT_SECONDS: '40', TELEGRAM_WEBHOOK_URL: 'https://x.org/tg' })
        .map((l) => l.split(':')[0])
        .sort(),
    ).toEqual(['OUTBOX_SEND_TIMEOUT_SECONDS', 'TELEGRAM_WEBHOOK_SECRET']);
  });

  it("is configured by its own variables only; the dispatcher's limits and concurrency are the descriptors'", () => {
    const c = loadConfig({ TELEGRAM_BOT_TOKEN: '1:abc', TELEGRAM_MAX_PER_GROUP_PER_MINUTE: '15', WECHAT_MAX_PER_DAY: '42' });
    expect(REGISTRY.filter((p) => p.configured(c)).map((p) => p.name)).toEqual(['telegram']);
    const limits = platformLimits(c);
    expect(Object.keys(limits).sort()).toEqual(['console', 'dingtalk', 'slack', 'telegram', 'wechat', 'wecom']);
    expect(limits.telegram!.windows({ platform: 'telegram', kind: 'group', id: '-100' }).find((w) => w.ms === 60_000)!.max).toBe(15);
    expect(limits.wechat!.perDay).toBe(42);
    expect(limits.console!.windows({ platform: 'console', kind: 'dm', id: 'x' })).toEqual([]);
    expect(DEFAULT_CONCURRENCY).toMatchObject({ telegram: 8, slack: 4, wechat: 1, wecom: 1, dingtalk: 1, console: 1 });
  });

  it("each platform's history reaches back over every window it states, so the dispatcher rebuilds them whole", () => {
    const limits = platformLimits(loadConfig({}));
    for (const p of REGISTRY) {
      const l = limits[p.name]!;
      for (const chat of [
        { platform: p.name, kind: 'dm' as const, id: 'u1' },
        { platform: p.name, kind: 'group' as const, id: '-100' },
        { platform: p.name, kind: 'group' as const, id: 'robot:三(2)班' },
      ]) {
        for (const w of l.windows(chat)) {
          // the claims read back must reach as far as the window does
          expect(l.historyMs, `${p.name} ${w.key}`).toBeGreaterThanOrEqual(w.ms);
        }
      }
    }
  });

  it('reading the configuration and the limits loads no platform SDK; building a platform loads its own', () => {
    execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: root, stdio: 'ignore' });
    // Every module specifier the child resolves, reported by a module hook.
    const script = `
      import { register } from 'node:module';
      import { MessageChannel } from 'node:worker_threads';
      const { port1, port2 } = new MessageChannel();
      const seen = [];
      port1.on('message', (s) => seen.push(s));
      register('data:text/javascript,' + encodeURIComponent('let port; export function initialize(d) { port = d.port; } export async function resolve(s, c, next) { port.postMessage(s); return next(s, c); }'), { data: { port: port2 }, transferList: [port2] });
      const { loadConfig } = await import('./dist/src/config.js');
      const { deliveryOptionsFrom } = await import('./dist/src/delivery/options.js');
      deliveryOptionsFrom(loadConfig({}));
      const before = seen.length;
      if (process.argv[1] === 'wecom') await import('./dist/adapters/wecom/wecom-adapter.js');
      await new Promise((r) => setTimeout(r, 200));
      port1.close();
      console.log(JSON.stringify({ config: seen.slice(0, before), after: seen.slice(before) }));
    `;
    const run = (arg: string) =>
      JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script, arg], { cwd: root, encoding: 'utf8' })) as {
        config: string[];
        after: string[];
      };
    const sdk = /^(telegraf|@slack\/bolt|wechaty|wechaty-puppet|dingtalk-stream|@wecom\/crypto|https-proxy-agent|file-box|qrcode-terminal)$/;
    const plain = run('none');
    expect(plain.config).toContain('zod');
    expect(plain.config.filter((s) => sdk.test(s))).toEqual([]);
    // the hook sees SDKs when they are loaded: building WeCom's adapter loads its crypto
    expect(run('wecom').after).toContain('@wecom/crypto');
  });
});
