/**
 * The console: the local operator's tool. Messages are typed "as" any person (by 工号 or name) in a direct chat
 * or a named group; every outbound message is shown with who receives it and where.
 */
import type { ChatAdapter, Incoming, Outgoing } from '../../src/core/chat-port.js';

export interface ConsoleDelivery {
  /** Staff id (direct chat) or group name. */
  to: string;
  /** "dm" or the group's name. */
  chat: string;
  text: string;
  buttons?: string[];
  /** File name and where it is, for a message with an attachment. */
  attachment?: string;
}

export function createConsoleAdapter(
  sink: (d: ConsoleDelivery) => void,
): ChatAdapter & { say(from: string, chat: string, text: string, messageId?: string): Promise<void> } {
  let handler: ((m: Incoming) => Promise<void>) | undefined;
  return {
    platform: 'console',
    async start(onIncoming) {
      handler = onIncoming;
    },
    async stop() {
      handler = undefined;
    },
    async send(m: Outgoing) {
      sink({
        to: m.chat.id,
        chat: m.chat.kind === 'dm' ? 'dm' : m.chat.id,
        text: m.text,
        ...(m.buttons?.length ? { buttons: m.buttons.map((b) => `[${b.label}] 或回复「${b.textEquivalent}」`) } : {}),
        ...(m.attachment ? { attachment: `${m.attachment.filename} (${m.attachment.path})` } : {}),
      });
    },
    async say(from, chat, text, messageId) {
      if (!handler) throw new Error('console adapter is not started');
      const dm = chat === 'dm' || chat === '';
      await handler({
        platform: 'console',
        accountId: from,
        chat: dm ? { platform: 'console', kind: 'dm', id: from } : { platform: 'console', kind: 'group', id: chat },
        ...(dm ? {} : { chatTitle: chat }),
        text,
        ...(messageId ? { platformMessageId: messageId } : {}),
      });
    },
  };
}
