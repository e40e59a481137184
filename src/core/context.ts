/** The small typed context a command handler receives: who, where, when, and how to answer. */
import type { ChatRef } from './chat-port.js';
import type { Extras } from '../services/messenger.js';
import type { Actor } from '../domain/org.js';
import type { DateStr } from '../domain/types.js';
import type { PersonRow } from '../store/org.repository.js';
import type { Tx } from '../store/prisma.js';
import type { Deps } from '../services/deps.js';
import type { Lang } from '../services/format.js';

export interface Ctx {
  deps: Deps;
  /** The transaction this message is handled in: everything it writes lands together or not at all. */
  tx: Tx;
  now: Date;
  today: DateStr;
  lang: Lang;
  person: PersonRow;
  actor: Actor;
  chat: ChatRef;
  chatRef: string;
  /** The class this group chat is bound to, if it is a bound class group. */
  groupClassId?: number;
  /** Answer in the chat the message came from. */
  reply(text: string, extras?: Extras): Promise<void>;
  /** Send a direct message to the sender (for anything naming a student). */
  replyPrivately(text: string): Promise<void>;
}

/** A refusal: says why and shows a valid example. Nothing is written when a handler throws it. */
export class Refusal extends Error {
  /** The command that refused, filled in by the router. */
  command?: string;
  constructor(
    readonly reason: string,
    readonly example?: string,
  ) {
    super(reason);
  }
}

export function refuse(reason: string, example?: string): never {
  throw new Refusal(reason, example);
}
