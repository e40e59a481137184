/**
 * The DingTalk (钉钉) adapter (the registry's descriptor is platform.ts). An
 * enterprise internal app (企业内部应用) with a robot: messages in by Stream mode (default; no public URL) or by the
 * HTTP callback (signature-checked); answers out through the robot send APIs with the app's access token. No
 * domain rules here.
 */
import type http from 'node:http';
import { systemClock, type Clock } from '../../src/clock.js';
import type { ChatAdapter, Incoming, Outgoing } from '../../src/core/chat-port.js';
import { DingtalkApi } from './api.js';
import type { DingtalkReady } from './config.js';
import { startCallbackServer } from './http-callback.js';
import { deliver } from './outbound.js';
import { startStream, type GatewayClient } from './stream.js';

export { dingtalkConfigSchema, dingtalkConfigured, limits, type DingtalkConfig, type DingtalkReady } from './config.js';
export { DingtalkApiError } from './api.js';

const platform = 'dingtalk';

export interface DingtalkOptions {
  /** Time for the token cache and the callback's timestamp check; the real clock unless a test injects one. */
  clock?: Clock;
  /** The callback server's listening address (all interfaces unless told). */
  callbackHost?: string;
  /** The HTTP client for DingTalk's API and the Stream gateway: fetch, or one through HTTPS_PROXY. */
  fetch?: typeof fetch;
}

export function createDingtalkAdapter(config: DingtalkReady, log: (line: string) => void = () => undefined, opts: DingtalkOptions = {}): ChatAdapter {
  const clock = opts.clock ?? systemClock;
  const credentials = { clientId: config.DINGTALK_CLIENT_ID, clientSecret: config.DINGTALK_CLIENT_SECRET };
  const api = new DingtalkApi({
    ...credentials,
    apiBase: config.DINGTALK_API_BASE,
    oapiBase: config.DINGTALK_OAPI_BASE,
    clock,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  // For an enterprise internal app the robot's code is the app's Client ID unless the console shows another.
  const robotCode = config.DINGTALK_ROBOT_CODE ?? config.DINGTALK_CLIENT_ID;
  let stream: GatewayClient | undefined;
  let server: http.Server | undefined;

  return {
    platform,
    async start(onIncoming: (m: Incoming) => Promise<void>) {
      if (config.DINGTALK_MODE === 'http') {
        const path = config.DINGTALK_CALLBACK_PATH;
        server = await startCallbackServer(
          {
            port: config.DINGTALK_CALLBACK_PORT,
            path,
            appSecret: credentials.clientSecret,
            clock,
            log,
            ...(opts.callbackHost ? { host: opts.callbackHost } : {}),
          },
          onIncoming,
        );
        log(
          `dingtalk: HTTP callback on port ${config.DINGTALK_CALLBACK_PORT}${path}${config.DINGTALK_PUBLIC_URL ? ` (DingTalk calls ${config.DINGTALK_PUBLIC_URL})` : ''}`,
        );
      } else {
        stream = await startStream(
          { ...credentials, gatewayUrl: config.DINGTALK_STREAM_ENDPOINT, log, ...(opts.fetch ? { fetch: opts.fetch } : {}) },
          onIncoming,
        );
        log('dingtalk: connected (Stream mode)');
      }
    },
    async send(m: Outgoing) {
      await deliver(api, robotCode, m);
    },
    async stop() {
      stream?.disconnect();
      stream = undefined;
      if (server) {
        const s = server;
        server = undefined;
        s.closeAllConnections();
        await new Promise<void>((r) => s.close(() => r()));
      }
    },
  };
}
