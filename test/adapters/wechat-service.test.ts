/**
 * The production network path: wechaty-puppet-service's PuppetServer wraps the mock puppet on 127.0.0.1 and the bot
 * connects with the service puppet over gRPC, as a deployment with a puppet-service token does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { PuppetServer, PuppetService } from 'wechaty-puppet-service';
import { makeApp, type TestApp } from '../helpers/app.js';
import { freePort } from '../helpers/net.js';
import { waitFor } from '../helpers/wait-for.js';
import { createWechatAdapter } from '../../adapters/wechat/wechat-adapter.js';
import type { ChatAdapter } from '../../src/core/chat-port.js';
import { wire } from '../helpers/wire.js';

const TOKEN = 'insecure_kcbx_test_token';
let app: TestApp;
let server: PuppetServer;
let adapter: ChatAdapter;
let mocker: mock.Mocker;
let botUser: mock.ContactMock;

beforeAll(async () => {
  app = await makeApp({ now: '2026-11-20T08:30:00+08:00' });
  mocker = new mock.Mocker();
  const mockPuppet = new PuppetMock({ mocker });
  const endpoint = `127.0.0.1:${await freePort()}`;
  server = new PuppetServer({ puppet: mockPuppet, endpoint, token: TOKEN, tls: { disable: true } });
  await server.start();
  const puppet = new PuppetService({ endpoint, token: TOKEN, tls: { disable: true } });
  adapter = createWechatAdapter({ puppet, name: `svc-${process.pid}`, printQr: () => undefined });
  await wire(app, adapter);
  botUser = mocker.createContact({ name: '控辍保学助手' });
  mocker.login(botUser);
}, 60_000);

afterAll(async () => {
  await adapter?.stop();
  await server?.stop();
  await app?.close();
});

describe('wechat over wechaty-puppet-service (gRPC on 127.0.0.1)', () => {
  it('a message crosses the network both ways: an unbound contact is told how to bind', async () => {
    const stranger = mocker.createContact({ name: '陌生人' });
    const heard: string[] = [];
    stranger.on('message', (m: mock.MessageMock) => {
      if (m.payload.talkerId === botUser.id && m.payload.text) heard.push(m.payload.text);
    });
    // the service puppet needs the login to have crossed the wire before it can reply
    await new Promise((r) => setTimeout(r, 1000));
    stranger.say('你好').to(botUser);
    await waitFor(() => heard.some((t) => t.includes('绑定')), { what: 'an answer about binding over the puppet service', timeoutMs: 15_000, intervalMs: 50 });
  });
});
