/**
 * The core's entry point for every inbound message: resolve the sender, find the command, authorize,
 * run it inside one transaction, and queue the answers in the outbox. Plain text in a bound class group
 * goes to the weekly-count reader; a yes/no goes to a pending question.
 */
import type { Incoming } from '../../adapters/types.js';
import { formatChatRef } from '../../adapters/types.js';
import { localDate } from '../clock.js';
import type { Role } from '../domain/types.js';
import { ROLE_LABELS } from '../domain/types.js';
import type { Deps } from '../services/deps.js';
import { sendToChat, sendToPerson } from '../services/messenger.js';
import { audit, groupClass } from '../store/chat.repository.js';
import { firstDelivery } from '../store/inbound.repository.js';
import { peopleByHandle, personByAccount, toActor, type PersonRow } from '../store/org.repository.js';
import type { Tx } from '../store/prisma.js';
import { withWriteTransaction } from '../store/write.js';
import { Refusal, type Ctx } from './context.js';
import { matchCommand, type CommandDef } from './registry.js';
import { COMMANDS } from './commands/index.js';
import { handlePlainText } from './plain-text.js';
import { redeemInviteCode, unboundReply, BIND_WORDS } from './commands/binding.js';

export interface HandleResult {
  handled: 'command' | 'text' | 'ignored' | 'refused' | 'unbound' | 'duplicate';
  command?: string;
}

/** A pressed button is the same as typing its text equivalent (e.g. `ack:12` → `收到 12`). */
export function actionText(action: string): string | undefined {
  const ack = /^ack:(\d+)$/.exec(action);
  if (ack) return `收到 ${ack[1]}`;
  const confirm = /^confirm_report:(\d{4}-\d{2})$/.exec(action);
  if (confirm) return `确认月报 ${confirm[1]}`;
  return undefined;
}

export async function handleIncoming(deps: Deps, msg: Incoming): Promise<HandleResult> {
  const text = (msg.action ? (actionText(msg.action) ?? '') : msg.text).replace(/\u3000/g, ' ').trim();
  const chatRef = formatChatRef(msg.chat);
  try {
    return await withWriteTransaction(deps.db, (tx) => route(deps, tx, msg, text, chatRef));
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    // The transaction rolled back: a refusal changes nothing but the answer.
    await withWriteTransaction(deps.db, async (tx) => {
      const now = deps.clock.now();
      if (msg.platformMessageId && !(await firstDelivery(tx, msg.platform, msg.platformMessageId, now))) return;
      await sendToChat(tx, now, chatRef, e.example ? `${e.reason}\n正确示例：${e.example}` : e.reason);
    });
    return { handled: 'refused', ...(e.command ? { command: e.command } : {}) };
  }
}

async function route(deps: Deps, tx: Tx, msg: Incoming, text: string, chatRef: string): Promise<HandleResult> {
  const now = deps.clock.now();
  // Recorded in the same transaction: a message whose handling failed is not marked as seen.
  if (msg.platformMessageId && !(await firstDelivery(tx, msg.platform, msg.platformMessageId, now))) return { handled: 'duplicate' };
  const person = await resolveSender(tx, msg);
  const match = matchCommand(COMMANDS, text);
  if (!person) {
    // Never data; in a group, speak only when addressed with a command (class groups hold parents too).
    if (msg.chat.kind === 'group' && !match) return { handled: 'ignored' };
    const bindWord = BIND_WORDS.find((w) => text.replace(/^[\/／]/, '').toLowerCase().startsWith(w));
    if (bindWord && msg.chat.kind === 'dm') {
      await redeemInviteCode(deps, tx, now, msg, chatRef, text.replace(/^[\/／]/, '').slice(bindWord.length).trim());
      return { handled: 'command', command: 'bind' };
    }
    await sendToChat(tx, now, chatRef, unboundReply(deps.config.LOCALE));
    return { handled: 'unbound' };
  }
  const ctx = makeCtx(deps, tx, now, person, msg, chatRef, await groupClass(tx, chatRef));
  if (!match) {
    const r = await handlePlainText(ctx, text);
    return { handled: r ? 'text' : 'ignored' };
  }
  return runCommand(ctx, match.def, match.args);
}

async function resolveSender(tx: Tx, msg: Incoming): Promise<PersonRow | null> {
  if (msg.platform === 'console') {
    const found = await peopleByHandle(tx, msg.accountId);
    return found.length === 1 ? found[0]! : null;
  }
  return personByAccount(tx, msg.platform, msg.accountId);
}

function makeCtx(deps: Deps, tx: Tx, now: Date, person: PersonRow, msg: Incoming, chatRef: string, groupClassId: number | undefined): Ctx {
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
      await sendToChat(tx, now, chatRef, text, extras);
    },
    replyPrivately: async (text) => {
      await sendToPerson(tx, now, person.id, text);
    },
  };
}

async function runCommand(ctx: Ctx, def: CommandDef, args: string): Promise<HandleResult> {
  const denied = whyNot(def, ctx);
  if (denied) {
    await ctx.reply(denied);
    return { handled: 'refused', command: def.id };
  }
  try {
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
