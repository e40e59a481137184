/**
 * WeCom (企业微信) through a self-built app (自建应用): the callback server receives members' messages and card button
 * presses; the message API sends to members (/cgi-bin/message/send) and app group chats (/cgi-bin/appchat/send), and
 * a group robot's webhook sends to a class group bound to a robot (`wecom:group:robot:<name>`), whose messages to
 * the robot arrive through the robot's callback (same URL and crypto). No domain rules.
 */
import type http from 'node:http';
import type { Clock } from '../../src/clock.js';
import { isImage, type ChatAdapter, type Incoming, type Outgoing } from '../../src/core/chat-port.js';
import { createWecomApi, type WecomApi } from './api-client.js';
import { startCallbackServer } from './callback-server.js';
import { WECOM, wecomConfigured, type WecomConfig } from './config.js';
import { toIncoming } from './inbound.js';
import { buttonCard, splitText, withTextButtons } from './outgoing.js';
import { readXml } from './xml.js';

export interface WecomRuntime {
  clock: Clock;
  /** Address the callback server listens on (default all interfaces). */
  host?: string;
  /** The HTTP client for WeCom's API: fetch, or one through HTTPS_PROXY. */
  fetch?: typeof fetch;
}

export function createWecomAdapter(config: WecomConfig, log: (line: string) => void, rt: WecomRuntime): ChatAdapter {
  const { missing } = wecomConfigured(config);
  const c = config as Required<WecomConfig>;
  if (missing.length || !c.WECOM_CORP_ID) throw new Error(`wecom: missing ${missing.join(', ') || 'WECOM_CORP_ID …'}`);
  const api = createWecomApi({
    apiBase: c.WECOM_API_BASE,
    corpId: c.WECOM_CORP_ID,
    secret: c.WECOM_SECRET,
    now: () => rt.clock.now().getTime(),
    ...(rt.fetch ? { fetch: rt.fetch } : {}),
  });
  const robots = c.WECOM_GROUP_ROBOT_WEBHOOKS;
  const robotName = (key: string) => {
    const name = Object.keys(robots).find((n) => robots[n] === key);
    if (!name) log('wecom: a message from a group robot that is not in WECOM_GROUP_ROBOT_WEBHOOKS was ignored (add it there to use its group)');
    return name;
  };
  let server: http.Server | undefined;
  /** A pressed card's button turns into a label that cannot be pressed again (the reply says what happened). */
  const pressed = (userid: string, responseCode: string) =>
    api
      .post('/cgi-bin/message/update_template_card', {
        userids: [userid],
        agentid: c.WECOM_AGENT_ID,
        response_code: responseCode,
        button: { replace_name: '已提交' },
      })
      .then(
        () => undefined,
        (e: unknown) => log(`wecom: could not update the pressed card: ${e instanceof Error ? e.message : String(e)}`),
      );
  // Messages are handed to the core one at a time, in the order WeCom delivered them.
  let queue: Promise<void> = Promise.resolve();

  return {
    platform: WECOM,
    async start(onIncoming: (m: Incoming) => Promise<void>) {
      await api.accessToken();
      server = await startCallbackServer({
        port: c.WECOM_CALLBACK_PORT,
        host: rt.host ?? '0.0.0.0',
        path: c.WECOM_CALLBACK_PATH,
        token: c.WECOM_TOKEN,
        aesKey: c.WECOM_ENCODING_AES_KEY,
        corpId: c.WECOM_CORP_ID,
        log,
        async onMessage(xml, fromRobot) {
          const f = readXml(xml);
          const m = toIncoming(f, { fromRobot, robotName });
          if (!m) return;
          const handed = queue.then(() => onIncoming(m));
          queue = handed
            .then(async () => {
              if (m.action && f.ResponseCode) await pressed(m.accountId, f.ResponseCode);
            })
            .catch((e: unknown) => log(`wecom: handler failed: ${e instanceof Error ? e.message : String(e)}`));
          await handed;
        },
      });
      const where = c.WECOM_PUBLIC_URL ?? `http://<this host>:${c.WECOM_CALLBACK_PORT}${c.WECOM_CALLBACK_PATH}`;
      log(
        `wecom: callback listening on port ${c.WECOM_CALLBACK_PORT}, path ${c.WECOM_CALLBACK_PATH} (WeCom calls ${where}); ${Object.keys(robots).length} group robot(s)`,
      );
    },
    async send(m: Outgoing) {
      if (m.chat.kind === 'dm') return sendToMember(api, c.WECOM_AGENT_ID, m);
      if (m.chat.id.startsWith('robot:')) {
        const name = m.chat.id.slice('robot:'.length);
        const key = robots[name];
        if (!key) throw new Error(`wecom: no group robot named “${name}” in WECOM_GROUP_ROBOT_WEBHOOKS`);
        for (const content of splitText(withTextButtons(m))) await api.robotSend(key, { msgtype: 'text', text: { content } });
        if (m.attachment) await api.robotSend(key, { msgtype: 'file', file: { media_id: await api.robotUpload(key, m.attachment) } });
        return;
      }
      const chatid = m.chat.id;
      for (const content of splitText(withTextButtons(m))) await api.post('/cgi-bin/appchat/send', { chatid, msgtype: 'text', text: { content } });
      if (m.attachment) {
        const type = isImage(m.attachment) ? 'image' : 'file';
        await api.post('/cgi-bin/appchat/send', { chatid, msgtype: type, [type]: { media_id: await api.upload(type, m.attachment) } });
      }
    },
    async stop() {
      if (!server) return;
      server.closeAllConnections();
      await new Promise<void>((r) => server!.close(() => r()));
      server = undefined;
      await queue;
    },
  };
}

async function sendToMember(api: WecomApi, agentid: number, m: Outgoing): Promise<void> {
  const touser = m.chat.id;
  const send = async (body: Record<string, unknown>) => {
    const r = await api.post('/cgi-bin/message/send', { touser, agentid, ...body });
    // WeCom answers ok but drops members outside the app's visible range: that is a failed delivery.
    if (r.invaliduser) throw new Error(`wecom: ${touser} cannot receive messages from this app (not in its visible range)`);
  };
  for (const content of splitText(m.text)) await send({ msgtype: 'text', text: { content } });
  if (m.buttons?.length) await send({ msgtype: 'template_card', template_card: buttonCard(m, m.buttons) });
  if (m.attachment) {
    const type = isImage(m.attachment) ? 'image' : 'file';
    await send({ msgtype: type, [type]: { media_id: await api.upload(type, m.attachment) } });
  }
}
