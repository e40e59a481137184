/**
 * Direct messages to many people from one transaction: their direct chats are looked up once (as messenger's
 * sendToPerson does one by one), then each message is one outbox row, or all of them in multi-row inserts.
 */
import type { Tx } from '../store/prisma.js';
import { dmRefsOf } from '../store/duty.repository.js';
import { enqueue, enqueueMany, type NewMessage } from '../store/outbox.repository.js';
import type { Extras } from './messenger.js';

export type SendDirect = (personId: number, text: string, extras: Extras) => Promise<number>;

/** A direct message to a person through the looked-up refs: never into a group chat. */
function directMessage(refs: ReadonlyMap<number, string>, personId: number, text: string, extras: Extras): NewMessage {
  const chatRef = refs.get(personId);
  if (!chatRef?.includes(':dm:')) throw new Error(`refusing to send a direct message into a non-direct chat ${chatRef ?? `(person ${personId})`}`);
  return { chatRef, personId, text, ...extras };
}

const refsOf = async (tx: Tx, personIds: readonly number[]) => (personIds.length > 0 ? dmRefsOf(tx, personIds) : new Map<number, string>());

export async function directSender(tx: Tx, at: Date, personIds: readonly number[]): Promise<SendDirect> {
  const refs = await refsOf(tx, personIds);
  return async (personId, text, extras) => enqueue(tx, at, directMessage(refs, personId, text, extras));
}

/** Direct messages collected, then written together: `add` gives each its place, `flush` the outbox ids in that order. */
export interface DirectBatch {
  add(personId: number, text: string, extras: Extras): number;
  flush(): Promise<number[]>;
}

export async function directBatch(tx: Tx, at: Date, personIds: readonly number[]): Promise<DirectBatch> {
  const refs = await refsOf(tx, personIds);
  const pending: NewMessage[] = [];
  return {
    add: (personId, text, extras) => pending.push(directMessage(refs, personId, text, extras)) - 1,
    flush: () => enqueueMany(tx, at, pending.splice(0)),
  };
}
