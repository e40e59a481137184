/** The chat port, owned by the core: platform events in, core messages out. Every platform adapter implements it; no domain rule lives in an adapter. */

/** A conversation reference that round-trips as a string: `<platform>:dm:<id>` or `<platform>:group:<id>`. */
export interface ChatRef {
  platform: string;
  kind: 'dm' | 'group';
  id: string;
}

export function formatChatRef(r: ChatRef): string {
  return `${r.platform}:${r.kind}:${r.id}`;
}

export function parseChatRef(s: string): ChatRef {
  const r = chatRefOrUndefined(s);
  if (!r) throw new Error(`not a chat ref: ${s}`);
  return r;
}

/** The chat a ref names, or undefined for a malformed one (stored text that was never a chat). */
export function chatRefOrUndefined(s: string): ChatRef | undefined {
  const m = /^([a-z]+):(dm|group):(.+)$/.exec(s);
  return m ? { platform: m[1]!, kind: m[2] as 'dm' | 'group', id: m[3]! } : undefined;
}

/** One inbound message as the core sees it. */
export interface Incoming {
  platform: string;
  /** The sender's account on that platform (on the console: a staff id or name). */
  accountId: string;
  chat: ChatRef;
  /** Human name of a group chat, when the platform knows it. */
  chatTitle?: string;
  text: string;
  /** A pressed button's action id (e.g. `ack:12`), when the platform has buttons. */
  action?: string;
  platformMessageId?: string;
}

export interface Button {
  /** Action id sent back when pressed; WeChat users type the text equivalent instead. */
  action: string;
  label: string;
  /** What to type where there are no buttons, e.g. `收到 12`. */
  textEquivalent: string;
}

/** A file sent with a message (a report, a chart image). */
export interface Attachment {
  /** Where the file is on this machine. */
  path: string;
  filename: string;
  mimeType: string;
}

export const isImage = (a: Attachment): boolean => a.mimeType.startsWith('image/');

/** One message for delivery. */
export interface Outgoing {
  id: number;
  chat: ChatRef;
  text: string;
  buttons?: Button[];
  attachment?: Attachment;
  /** The person it is for (direct messages), for logging. */
  personId?: number | null;
}

export interface ChatAdapter {
  readonly platform: string;
  start(onIncoming: (msg: Incoming) => Promise<void>): Promise<void>;
  send(msg: Outgoing): Promise<void>;
  stop(): Promise<void>;
}

/** The platform said "too many requests": retry after this many seconds. Not a failure of the message. */
export class RateLimitedError extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    message = `rate limited: retry after ${retryAfterSeconds}s`,
  ) {
    super(message);
    this.name = 'RateLimitedError';
  }
}
