/**
 * The core's entry point for every inbound message: resolve the sender, find the command, authorize,
 * run it inside one transaction (shared with the messages of other chats handled at the same moment, each under a
 * savepoint of its own: write-group.ts), and queue the answers in the outbox. Plain text in a bound class group
 * goes to the weekly-count reader; a yes/no goes to a pending question.
 */
import type { Incoming } from './chat-port.js';
import { formatChatRef } from './chat-port.js';
import { localDate } from '../clock.js';
import type { Role } from '../domain/types.js';
import { ROLE_LABELS } from '../domain/types.js';
import type { Deps } from '../services/deps.js';
import { sendToChat, sendToPerson } from '../services/messenger.js';
import { audit } from '../store/chat.repository.js';
import type { Delivery } from '../store/inbound.repository.js';
import { peopleByHandle, toActor, type PersonRow } from '../store/org.repository.js';
import { openOrgView, type OrgView } from '../store/org-cache.js';
import type { Tx } from '../store/prisma.js';
import { type JobStart, withSharedWriteTransaction } from '../store/write-group.js';
import { Refusal, refuse, type Ctx } from './context.js';
import { matchCommand, type CommandDef } from './registry.js';
import { COMMANDS } from './commands/index.js';
import { handlePlainText } from './plain-text.js';
import { head, longerThan, MAX_TEXT_CHARS, TOO_LONG_REPLY, wellFormed } from './inbound-text.js';
import { adviseOnce, noteNamedStudents, sendRefusal, withHintOnce, type Seen } from './group-privacy.js';
import { redeemInviteCode, unboundReply, bindCodeArg } from './commands/binding.js';

export interface HandleResult {
  handled: 'command' | 'text' | 'ignored' | 'refused' | 'unbound' | 'duplicate' | 'too_long' | 'failed';
  command?: string;
}

/** The answer to anything unexpected: the sender knows nothing was recorded and what to do. */
export const FAILED_REPLY = '没有记录成功，请再发一次。如果再次失败，请稍后再试或联系县教育局管理员。';

/** What routing learned, kept outside the transaction so a refusal can still use it. */
interface Handling {
  person?: PersonRow;
  seen: Seen;
  /** The organisation as the committed transaction read it: shared with the next messages once it committed. */
  org?: OrgView;
}

const defaultLog = (deps: Deps) => (line: string) => console.error(`${deps.clock.now().toISOString()} ${line}`);

/** A pressed button is the same as typing its text equivalent (e.g. `ack:12` → `收到 12`). */
export function actionText(action: string): string | undefined {
  const ack = /^ack:(\d+)$/.exec(action);
  if (ack) return `收到 ${ack[1]}`;
  const confirm = /^confirm_report:(\d{4}-\d{2})$/.exec(action);
  if (confirm) return `确认月报 ${confirm[1]}`;
  return undefined;
}

/**
 * Never throws and never stays silent: a refusal is answered (by DM when it came from a group), anything unexpected
 * is logged with its error and answered with FAILED_REPLY, and nothing it did is kept (so a resend starts clean).
 */
export async function handleIncoming(deps: Deps, msg: Incoming, log: (line: string) => void = defaultLog(deps)): Promise<HandleResult> {
  const chatRef = formatChatRef(msg.chat);
  const state: Handling = { seen: { studentNamedInGroup: false } };
  try {
    const text = wellFormed(msg.action ? (actionText(msg.action) ?? '') : msg.text)
      .replace(/\u3000/g, ' ')
      .trim();
    const result = await withSharedWriteTransaction(deps.db, (tx, start) => route(deps, tx, start, msg, text, chatRef, state), deliveryOf(deps, msg));
    state.org?.publish();
    return result;
  } catch (e) {
    let failure: unknown = e;
    if (e instanceof Refusal) {
      try {
        return await answerRefusal(deps, msg, chatRef, state, e);
      } catch (again) {
        failure = again;
      }
    }
    log(`inbound ${msg.platform} ${msg.chat.kind} ${chatRef} from ${msg.accountId} failed: ${errorText(failure)}`);
    try {
      await withSharedWriteTransaction(deps.db, (tx) => sendToChat(tx, deps.clock.now(), chatRef, FAILED_REPLY));
    } catch (again) {
      log(`inbound ${msg.platform} ${chatRef}: the failure could not be answered either: ${errorText(again)}`);
    }
    return { handled: 'failed' };
  }
}

const errorText = (e: unknown) => (e instanceof Error ? (e.stack ?? e.message) : String(e));

/** The transaction rolled back: a refusal changes nothing but the answer (and the once-per-group privacy hint). */
async function answerRefusal(deps: Deps, msg: Incoming, chatRef: string, state: Handling, e: Refusal): Promise<HandleResult> {
  await withSharedWriteTransaction(
    deps.db,
    async (tx, start) => {
      const now = deps.clock.now();
      if (start.first === false) return;
      await sendRefusal(tx, now, msg.chat, chatRef, state.person, state.seen, e.example ? `${e.reason}\n正确示例：${e.example}` : e.reason);
      await adviseOnce(tx, now, chatRef, state.seen);
    },
    deliveryOf(deps, msg),
  );
  return { handled: 'refused', ...(e.command ? { command: e.command } : {}) };
}

/** The message, to be recorded as handled in the transaction that handles it (one without a platform id: never a duplicate). */
function deliveryOf(deps: Deps, msg: Incoming): Delivery | undefined {
  return msg.platformMessageId ? { platform: msg.platform, messageId: msg.platformMessageId, at: deps.clock.now() } : undefined;
}

async function route(deps: Deps, tx: Tx, start: JobStart, msg: Incoming, text: string, chatRef: string, state: Handling): Promise<HandleResult> {
  const now = deps.clock.now();
  state.org = undefined; // a run of this transaction before (busy, run again) shares nothing
  // Recorded in the same transaction (write-group.ts): a message whose handling failed is not marked as seen.
  if (start.first === false) return { handled: 'duplicate' };
  if (longerThan(text, MAX_TEXT_CHARS)) return tooLong(tx, now, msg, text, chatRef);
  const org = (state.org = await openOrgView(deps.db, tx, { version: start.orgVersion }));
  const person = await resolveSender(tx, org, msg);
  if (person) state.person = person;
  const match = matchCommand(COMMANDS, text);
  if (!person) {
    // Never data; in a group, speak only when addressed with a command (class groups hold parents too).
    if (msg.chat.kind === 'group' && !match) return { handled: 'ignored' };
    const bindArg = bindCodeArg(text);
    if (bindArg !== undefined && msg.chat.kind === 'dm') {
      await redeemInviteCode(deps, tx, now, msg, chatRef, bindArg);
      return { handled: 'command', command: 'bind' };
    }
    await sendToChat(tx, now, chatRef, unboundReply(deps.config.LOCALE));
    return { handled: 'unbound' };
  }
  const ctx = makeCtx(deps, tx, now, person, msg, chatRef, await org.groupClass(chatRef), state.seen);
  if (match) await noteNamedStudents(tx, msg.chat, match.args, state.seen);
  const result = match ? await runCommand(ctx, match.def, match.args) : ({ handled: (await handlePlainText(ctx, text)) ? 'text' : 'ignored' } as const);
  await adviseOnce(tx, now, chatRef, state.seen);
  return result;
}

/** Nothing of it is parsed. In a group only a message that starts like a command hears back (a long notice to parents is not for us). */
async function tooLong(tx: Tx, now: Date, msg: Incoming, text: string, chatRef: string): Promise<HandleResult> {
  if (msg.chat.kind === 'group' && !matchCommand(COMMANDS, head(text, 20))) return { handled: 'ignored' };
  await sendToChat(tx, now, chatRef, TOO_LONG_REPLY);
  return { handled: 'too_long' };
}

async function resolveSender(tx: Tx, org: OrgView, msg: Incoming): Promise<PersonRow | null> {
  if (msg.platform === 'console') {
    const found = await peopleByHandle(tx, msg.accountId);
    return found.length === 1 ? found[0]! : null;
  }
  return org.personByAccount(msg.platform, msg.accountId);
}

function makeCtx(deps: Deps, tx: Tx, now: Date, person: PersonRow, msg: Incoming, chatRef: string, groupClassId: number | undefined, seen: Seen): Ctx {
  return {
    deps,
    tx,
    now,
    today: localDate(now, deps.config.TIMEZONE),
    lang: deps.config.LOCALE,
    person,
    actor: toActor(person),
    chat: msg.chat,
    chatRef,
    ...(groupClassId !== undefined ? { groupClassId } : {}),
    reply: async (text, extras) => {
      await sendToChat(tx, now, chatRef, msg.chat.kind === 'group' ? await withHintOnce(tx, now, chatRef, seen, text) : text, extras);
    },
    replyPrivately: async (text) => {
      await sendToPerson(tx, now, person.id, text);
    },
  };
}

async function runCommand(ctx: Ctx, def: CommandDef, args: string): Promise<HandleResult> {
  try {
    // Not allowed here: a refusal like any other (from a group, it goes to the sender by DM).
    const denied = whyNot(def, ctx);
    if (denied) refuse(denied);
    await def.run(ctx, args);
  } catch (e) {
    if (e instanceof Refusal) e.command = def.id;
    throw e;
  }
  if (def.mutates) await audit(ctx.tx, ctx.now, def.id, { args }, ctx.person.id, ctx.chatRef);
  return { handled: 'command', command: def.id };
}

function whyNot(def: CommandDef, ctx: Ctx): string | undefined {
  if (def.roles !== 'all' && !def.roles.includes(ctx.actor.role)) {
    const who = def.roles.map((r: Role) => ROLE_LABELS[r]).join('、');
    return `「${def.words[0]}」只有${who}可以使用，您的角色是${ROLE_LABELS[ctx.actor.role]}。发送「帮助」查看您可以用的命令。`;
  }
  if (def.where === 'dm' && ctx.chat.kind !== 'dm') {
    return `「${def.words[0]}」涉及学生个人信息，只能在私聊中使用，请私信我。示例：${def.example}`;
  }
  if (def.where === 'group' && ctx.chat.kind !== 'group') {
    return `「${def.words[0]}」需要在班级群里发送。示例：${def.example}`;
  }
  return undefined;
}
