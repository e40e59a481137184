/**
 * WeChat through Wechaty. The puppet is configuration (a puppet name and its options, e.g. wechaty-puppet-service
 * with a token, or a puppet instance in tests). Group chats are rooms. WeChat has no buttons: each button is
 * appended as the text to reply (e.g. 回复「收到 12」). The login QR code is printed to the terminal.
 */
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Wechaty, WechatyBuilder } from 'wechaty';
import type * as PUPPET from 'wechaty-puppet';
import type { FileBox as FileBoxClass } from 'file-box';
import qrcodeTerminal from 'qrcode-terminal';
import type { ChatAdapter, Incoming, Outgoing } from '../../src/core/chat-port.js';

export interface WechatOptions {
  /** A puppet package name (e.g. wechaty-puppet-service) or an instance. */
  puppet: string | PUPPET.impls.PuppetInterface;
  puppetOptions?: Record<string, unknown>;
  /** Session name: Wechaty keeps the login in `<name>.memory-card.json`. */
  name?: string;
  log?: (line: string) => void;
  printQr?: (qrcode: string) => void;
  /** A send (text and file) that takes longer fails, so one hung puppet call cannot hold the outbox (default 20 s). */
  sendTimeoutMs?: number;
}

const require = createRequire(import.meta.url);

/**
 * Wechaty's builder, from its own module of Wechaty's CommonJS build: the package's index also exports IoClient, which
 * loads the puppet service's gRPC client and protobufs (about 18 MB resident) whatever the puppet. wechaty-puppet-service
 * still loads when it is the configured puppet (Wechaty requires the puppet by name). CommonJS, not the ESM twin: the
 * same code (Wechaty ships both builds), and its few hundred modules (wechaty-puppet, rxjs, file-box, the puppet) load
 * about a fifth faster through require than through the ESM loader, a start's largest single cost. The file sits
 * beside the index (the exports map hides it); this depends on Wechaty's layout, pinned at 1.20.x, and a test starts
 * WeChat through it.
 */
function loadWechatyBuilder(): typeof WechatyBuilder {
  const cjsIndex = require.resolve('wechaty');
  const builder = path.join(path.dirname(cjsIndex), '..', 'wechaty-builder.js');
  return (require(builder) as typeof import('wechaty')).WechatyBuilder;
}

/** FileBox from the same (CommonJS) copy of file-box that Wechaty uses, not a second copy through the ESM loader. */
const fileBox = () => (require('file-box') as { FileBox: typeof FileBoxClass }).FileBox;

/** Rejects after `ms` when the puppet has not answered (the call itself cannot be cancelled). */
function timed<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`wechat: no answer within ${ms} ms`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** WeChat has no buttons: the reply text that does the same thing. */
export function withTextButtons(m: Outgoing): string {
  if (!m.buttons?.length) return m.text;
  return `${m.text}\n${m.buttons.map((b) => `（${b.label}请回复「${b.textEquivalent}」）`).join('\n')}`;
}

export function createWechatAdapter(o: WechatOptions): ChatAdapter {
  const log = o.log ?? (() => undefined);
  const printQr = o.printQr ?? ((q: string) => qrcodeTerminal.generate(q, { small: true }));
  let bot: Wechaty | undefined;

  return {
    platform: 'wechat',
    async start(onIncoming: (m: Incoming) => Promise<void>) {
      const b = loadWechatyBuilder().build({
        name: o.name ?? 'kongchuo-bot',
        puppet: o.puppet as never,
        ...(o.puppetOptions ? { puppetOptions: o.puppetOptions } : {}),
      });
      bot = b;
      b.on('scan', (qrcode, status) => {
        log(`wechat: scan the QR code to log in (status ${status})`);
        if (qrcode) printQr(qrcode);
      });
      b.on('login', (user) => log(`wechat: logged in as ${user.name()}`));
      b.on('logout', (user) => log(`wechat: logged out (${user.name()})`));
      b.on('error', (e) => log(`wechat: ${e instanceof Error ? e.message : String(e)}`));
      b.on('message', async (msg) => {
        try {
          if (msg.self() || msg.type() !== b.Message.Type.Text) return;
          const room = msg.room();
          const talker = msg.talker();
          const text = room ? await msg.mentionText() : msg.text();
          await onIncoming({
            platform: 'wechat',
            accountId: talker.id,
            chat: room ? { platform: 'wechat', kind: 'group', id: room.id } : { platform: 'wechat', kind: 'dm', id: talker.id },
            ...(room ? { chatTitle: await room.topic() } : {}),
            text,
            platformMessageId: msg.id,
          });
        } catch (e) {
          log(`wechat: handling a message failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      });
      await b.start();
      log('wechat: started; waiting for login');
    },
    async send(m: Outgoing) {
      const b = bot;
      if (!b) throw new Error('wechat: not started');
      await timed(
        (async () => {
          const to = m.chat.kind === 'group' ? await b.Room.find({ id: m.chat.id }) : await b.Contact.find({ id: m.chat.id });
          if (!to) throw new Error(`wechat: ${m.chat.kind === 'group' ? 'room' : 'contact'} ${m.chat.id} not found`);
          await to.say(withTextButtons(m));
          if (m.attachment) {
            // base64, not a file path: it must cross a puppet service's network boundary intact
            const data = await fs.readFile(m.attachment.path);
            await to.say(fileBox().fromBase64(data.toString('base64'), m.attachment.filename));
          }
        })(),
        o.sendTimeoutMs ?? 20_000,
      );
    },
    async stop() {
      await bot?.stop();
      bot = undefined;
    },
  };
}
