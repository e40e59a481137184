/** `npm start` with a Telegram token: the bot runs against the configured API root (here the fake) instead of the console. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeTelegramApi } from '../fakes/telegram-api.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-start-'));
let child: ChildProcess | undefined;
let api: FakeTelegramApi | undefined;

afterAll(async () => {
  child?.kill('SIGTERM');
  await api?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('npm start with TELEGRAM_BOT_TOKEN', () => {
  it('serves Telegram and answers an unbound user with how to bind', async () => {
    api = await new FakeTelegramApi('42:START').start();
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: `file:${path.join(dir, 's.db')}`, TELEGRAM_BOT_TOKEN: '42:START', TELEGRAM_API_ROOT: api.apiRoot },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    api.userSays({ id: 7 }, { id: 7, type: 'private' }, '你好');
    const [msg] = await api.waitForSent(1, 30_000);
    expect(msg!.chat_id).toBe(7);
    expect(msg!.text).toContain('绑定');
    expect(output).toContain('telegram: connected as @kcbx_bot (long polling)');
    expect(output).not.toContain('打开控制台');
  });
});
