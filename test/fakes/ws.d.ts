/** The few `ws` server types the fake DingTalk gateway uses (`ws` comes with dingtalk-stream, without @types/ws). */
declare module 'ws' {
  import type http from 'node:http';
  import type { EventEmitter } from 'node:events';
  export class WebSocket extends EventEmitter {
    send(data: string): void;
    close(): void;
    terminate(): void;
  }
  export class WebSocketServer extends EventEmitter {
    constructor(options: { noServer: true });
    clients: Set<WebSocket>;
    handleUpgrade(req: http.IncomingMessage, socket: import('node:stream').Duplex, head: Buffer, cb: (ws: WebSocket) => void): void;
    close(cb?: () => void): void;
  }
}
