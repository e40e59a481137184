/** `npm start` with the WeCom variables set: the callback server runs and answers through the configured API base. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeWecomApi } from '../fakes/wecom-api.js';
import { freePort } from '../helpers/net.js';
import { waitFor } from '../helpers/wait-for.js';
import { WECOM_APP, wecomEnv } from './wecom-setup.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-wecom-start-'));
let child: ChildProcess | undefined;
let api: FakeWecomApi | undefined;

afterAll(async () => {
  child?.kill('SIGTERM');
  await api?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('npm start with the WeCom variables', () => {
  it('passes the URL check and answers an unbound member with how to bind', async () => {
    api = await new FakeWecomApi(WECOM_APP).start();
    const port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: `file:${path.join(dir, 'w.db')}`,
        HEALTH_PORT: 'off',
        ...wecomEnv(port, api.apiBase),
        WECOM_PUBLIC_URL: 'https://bot.example.edu.cn/wecom/callback',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const url = `http://127.0.0.1:${port}/wecom/callback`;
    const check = await waitFor(() => api!.verifyUrl(url).catch(() => undefined), {
      what: () => `the callback server's URL check (output: ${output.slice(-2000)})`,
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    expect(check.body).toBe(check.expected);
    expect((await api.push(url, api.textXml('zhanghua', '你好'))).status).toBe(200);
    const [msg] = await api.waitForSent(1, 30_000);
    expect(msg!.body).toMatchObject({ touser: 'zhanghua', msgtype: 'text' });
    expect(msg!.body.text!.content).toContain('绑定');
    expect(output).toContain('WeCom calls https://bot.example.edu.cn/wecom/callback');
    expect(output).not.toContain('打开控制台');
  });
});
