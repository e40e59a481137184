/**
 * Stream mode through the official `dingtalk-stream` SDK: no public URL, the app keeps a WebSocket to DingTalk's
 * gateway. The SDK hard-codes the gateway (`GATEWAY_URL`, used only in `getEndpoint`), so `GatewayClient` overrides
 * that one method to ask the configured gateway instead (a relay, a private deployment, the test fake); the
 * WebSocket, heartbeats, reconnects and frame handling stay the SDK's.
 *
 * A robot message arrives as a CALLBACK frame on `/v1.0/im/bot/messages/get`; it is acknowledged only after the
 * core has handled it, so a failure leaves it unacknowledged and DingTalk delivers it again (the core dedups by msgId).
 */
import { DWClient, TOPIC_ROBOT, type DWClientDownStream } from 'dingtalk-stream';
import type { Incoming } from '../../src/core/chat-port.js';
import { toIncoming, type RobotCallback } from './inbound.js';

export class GatewayClient extends DWClient {
  constructor(
    opts: { clientId: string; clientSecret: string },
    private readonly gatewayUrl: string,
    private readonly fetch: typeof globalThis.fetch = globalThis.fetch,
  ) {
    super({ ...opts, keepAlive: true, ua: 'kongchuo-bot' });
  }

  override async getEndpoint(): Promise<this> {
    const res = await this.fetch(this.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        clientId: this.config.clientId,
        clientSecret: this.config.clientSecret,
        ua: this.config.ua,
        subscriptions: this.config.subscriptions,
      }),
    });
    const body = (await res.json().catch(() => ({}))) as { endpoint?: string; ticket?: string; code?: string; message?: string };
    if (!res.ok || !body.endpoint || !body.ticket)
      throw new Error(`dingtalk stream: gateway refused (${res.status} ${body.code ?? ''} ${body.message ?? ''})`.trim());
    // `dw_url` is the SDK's private field that `_connect` opens; this is the one place it is set from outside.
    (this as unknown as { dw_url: string }).dw_url = `${body.endpoint}?ticket=${encodeURIComponent(body.ticket)}`;
    return this;
  }
}

export async function startStream(
  o: { clientId: string; clientSecret: string; gatewayUrl: string; log: (line: string) => void; fetch?: typeof fetch },
  onIncoming: (m: Incoming) => Promise<void>,
): Promise<GatewayClient> {
  const client = new GatewayClient({ clientId: o.clientId, clientSecret: o.clientSecret }, o.gatewayUrl, o.fetch);
  client.registerCallbackListener(TOPIC_ROBOT, (frame: DWClientDownStream) => {
    void (async () => {
      let payload: RobotCallback;
      try {
        payload = JSON.parse(frame.data) as RobotCallback;
      } catch {
        return client.socketCallBackResponse(frame.headers.messageId, {}); // unreadable: redelivery would not help
      }
      const msg = toIncoming(payload);
      if (msg) await onIncoming(msg);
      client.socketCallBackResponse(frame.headers.messageId, {});
    })().catch((e: unknown) => o.log(`dingtalk: handler failed, left unacknowledged for redelivery: ${e instanceof Error ? e.message : String(e)}`));
  });
  try {
    // The first connection is made here so that bad credentials fail the start; later drops reconnect in the SDK.
    await client.getEndpoint();
    await client._connect();
  } catch (e) {
    client.disconnect();
    throw e;
  }
  return client;
}
