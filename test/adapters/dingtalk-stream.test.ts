/**
 * DingTalk Stream mode: the official dingtalk-stream SDK against a fake gateway on 127.0.0.1 (connections/open, then
 * a WebSocket carrying CALLBACK frames), wired to the real core; and `npm start` running DingTalk from its variables.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { waitFor } from '../helpers/wait-for.js';
import { FakeDingtalk } from '../fakes/dingtalk-api.js';
import { createDingtalkAdapter, dingtalkConfigSchema, type DingtalkReady } from '../../adapters/dingtalk/index.js';
import type { ChatAdapter } from '../../src/core/chat-port.js';
import { wire } from '../helpers/wire.js';
import { createInviteCode } from '../../src/core/commands/binding.js';

const ID = 'dingstreamclient';
const SECRET = 'stream-secret-0123456789';
let app: TestApp;
let fake: FakeDingtalk;
let adapter: ChatAdapter;
let n = 1;
const GROUP = { conversationId: 'cidStreamGroup==', conversationTitle: '一(1)班' };

const configFor = (f: FakeDingtalk, secret = SECRET): DingtalkReady => ({
  ...dingtalkConfigSchema.parse({ DINGTALK_API_BASE: f.apiBase, DINGTALK_OAPI_BASE: f.apiBase, DINGTALK_STREAM_ENDPOINT: f.gatewayUrl }),
  DINGTALK_CLIENT_ID: ID,
  DINGTALK_CLIENT_SECRET: secret,
});
const ackFor = (messageId: string) => fake.acks.find((a) => a.headers.messageId === messageId);
const textTo = (to: string) => fake.sent.filter((s) => s.to === to).map((s) => s.param.content ?? s.param.text ?? '');

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-20T08:30:00+08:00' });
  fake = await new FakeDingtalk(ID, SECRET).start();
  adapter = createDingtalkAdapter(configFor(fake), () => undefined, { clock: app.clock });
  await wire(app, adapter);
});

afterAll(async () => {
  await adapter?.stop();
  await fake?.stop();
  await app?.close();
});

describe('dingtalk (Stream mode)', () => {
  it('a robot message pushed over the gateway reaches the core, is answered, and is acknowledged after handling', async () => {
    expect(fake.streamConnections).toBe(1);
    const frame = fake.push({ msgId: `s${n++}`, text: '情况', senderStaffId: 'teacher02', conversationType: '1' });
    await waitFor(() => ackFor(frame) !== undefined, { what: 'the ACK' });
    expect(ackFor(frame)).toMatchObject({ code: 200, message: 'OK', headers: { messageId: frame, contentType: 'application/json' } });
    expect(textTo('teacher02').at(-1)).toContain('还没有绑定');
  });

  it('binding by invite code in a single chat and 绑定班级 in the group', async () => {
    const person = await app.deps.db.person.findUniqueOrThrow({ where: { staffId: 'T0012' } });
    const { code } = await createInviteCode(app.deps, person.id);
    const bind = fake.push({ msgId: `s${n++}`, text: `绑定 ${code}`, senderStaffId: 'teacher02', conversationType: '1' });
    await waitFor(() => ackFor(bind) !== undefined, { what: 'the bind ACK' });
    expect(textTo('teacher02').at(-1)).toContain('绑定成功');
    const group = fake.push({ msgId: `s${n++}`, text: '绑定班级', senderStaffId: 'teacher02', conversationType: '2', ...GROUP });
    await waitFor(() => ackFor(group) !== undefined, { what: 'the group ACK' });
    expect(fake.sent.at(-1)).toMatchObject({ kind: 'group', to: GROUP.conversationId });
    expect(textTo(GROUP.conversationId).at(-1)).toContain('一(1)班');
  });

  it('after the gateway drops the connection the SDK reconnects through the configured gateway and messages flow again', async () => {
    fake.dropConnections();
    await waitFor(() => fake.streamConnections === 2, { what: 'the reconnection' });
    const frame = fake.push({ msgId: `s${n++}`, text: '情况', senderStaffId: 'teacher02', conversationType: '1' });
    await waitFor(() => ackFor(frame) !== undefined, { what: 'the ACK after reconnecting' });
  });

  it('a message whose handling fails is left unacknowledged, so DingTalk delivers it again', async () => {
    const lines: string[] = [];
    const other = new FakeDingtalk(ID, SECRET);
    await other.start();
    const f2 = createDingtalkAdapter(configFor(other), (l) => lines.push(l), { clock: app.clock });
    await f2.start(async (m) => {
      if (m.text === 'boom') throw new Error('database is locked');
    });
    try {
      const bad = other.push({ msgId: `s${n++}`, text: 'boom', senderStaffId: 'teacher02', conversationType: '1' });
      const good = other.push({ msgId: `s${n++}`, text: 'fine', senderStaffId: 'teacher02', conversationType: '1' });
      await waitFor(() => other.acks.some((a) => a.headers.messageId === good) && lines.some((l) => l.includes('left unacknowledged')), {
        what: 'the good ACK and the failure line',
      });
      expect(other.acks.some((a) => a.headers.messageId === bad)).toBe(false);
      expect(lines.find((l) => l.includes('left unacknowledged'))).toContain('database is locked');
    } finally {
      await f2.stop();
      await other.stop();
    }
  });

  it('credentials the gateway refuses fail the start, naming the refusal', async () => {
    const wrong = createDingtalkAdapter(configFor(fake, 'not-the-secret-0000'), () => undefined, { clock: app.clock });
    await expect(wrong.start(async () => undefined)).rejects.toThrow(/gateway refused \(401/);
    await wrong.stop();
  });
});

describe('npm start with DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET', () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kcbx-dt-start-'));
  let child: ChildProcess | undefined;
  let gw: FakeDingtalk | undefined;
  afterAll(async () => {
    child?.kill('SIGTERM');
    await gw?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('connects in Stream mode to the configured gateway and answers an unbound user', async () => {
    gw = await new FakeDingtalk(ID, SECRET).start();
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: `file:${path.join(dir, 's.db')}`,
        HEALTH_PORT: 'off',
        DINGTALK_CLIENT_ID: ID,
        DINGTALK_CLIENT_SECRET: SECRET,
        DINGTALK_API_BASE: gw.apiBase,
        DINGTALK_OAPI_BASE: gw.apiBase,
        DINGTALK_STREAM_ENDPOINT: gw.gatewayUrl,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    await waitFor(() => output.includes('dingtalk: connected (Stream mode)'), { what: 'the start', timeoutMs: 30_000 });
    gw.push({ msgId: 'start-1', text: '你好', senderStaffId: 'u7', conversationType: '1' });
    await waitFor(() => gw!.sent.length > 0, { what: 'the answer', timeoutMs: 15_000 });
    expect(gw.sent[0]).toMatchObject({ kind: 'dm', to: 'u7', msgKey: 'sampleText' });
    expect(gw.sent[0]!.param.content).toContain('绑定');
    expect(output).not.toContain('打开控制台');
  });
});
