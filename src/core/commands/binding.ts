/** Binding a chat account to a person (one-time invite code, in a direct message) and a group to a class. */
import type { Incoming } from '../chat-port.js';
import type { Deps } from '../../services/deps.js';
import { sendToChat, sendToPerson } from '../../services/messenger.js';
import { dayLabel, L, type Lang } from '../../services/format.js';
import { issueInvites } from '../../services/invites.js';
import * as chats from '../../store/chat.repository.js';
import { bindAccount } from '../../store/account.repository.js';
import { consumeInvite, inviteFailuresSince, recordInviteFailure } from '../../store/invite.repository.js';
import { classById, classesOfSchool, peopleWithRole, personById } from '../../store/org.repository.js';
import type { Tx } from '../../store/prisma.js';
import { ROLE_LABELS, type Role } from '../../domain/types.js';
import type { Actor } from '../../domain/org.js';
import { clockLabel, localParts } from '../../domain/zoned-time.js';
import { refuse, type Ctx } from '../context.js';
import type { CommandDef } from '../registry.js';
import { readArgs, type ArgSpec } from '../args.js';
import { withWriteTransaction } from '../../store/write.js';

/** Failed code attempts an account may make within the window before it must wait. */
export const INVITE_MAX_FAILURES = 5;
const INVITE_FAILURE_WINDOW_MS = 3600_000;
const EXAMPLE = '绑定 K7M2QX9P';

/** The code of a bind attempt (`/start <code>`, `start <code>`, `绑定 <code>`, `bind <code>`; '' when none), else undefined. */
export function bindCodeArg(text: string): string | undefined {
  const m = /^[/／]?(?:start|bind|绑定)(?:\s+([\s\S]*))?$/i.exec(text);
  return m ? (m[1] ?? '').trim() : undefined;
}

export function unboundReply(lang: Lang): string {
  return L(
    lang,
    '您好！我是控辍保学助手。您的账号还没有绑定，我不能提供任何数据。\n请向县教育局管理员索取一次性邀请码，然后私信我：绑定 <邀请码>\n正确示例：绑定 K7M2QX9P',
    'Hello! I am the dropout-control assistant. This account is not bound yet, so I cannot show any data.\nAsk the county administrator for a one-time invite code, then send me in a direct message: bind <code>\nExample: bind K7M2QX9P',
  );
}

/** Creates a one-time invite code for a person (admin CLI); the person's earlier unused codes stop working. */
export async function createInviteCode(deps: Deps, personId: number): Promise<{ code: string; expiresAt: Date }> {
  const { codes, expiresAt } = await withWriteTransaction(deps.db, (tx) => issueInvites(deps, tx, [personId]));
  return { code: codes.get(personId)!, expiresAt };
}

function localStamp(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${dayLabel(p.date)} ${clockLabel(p.minutes)}`;
}

export async function redeemInviteCode(deps: Deps, tx: Tx, now: Date, msg: Incoming, chatRef: string, arg: string): Promise<void> {
  const code = arg.trim().toUpperCase();
  if (!code) {
    await sendToChat(tx, now, chatRef, `请在“绑定”后面加上管理员给您的邀请码。\n正确示例：${EXAMPLE}`);
    return;
  }
  const failures = await inviteFailuresSince(tx, msg.platform, msg.accountId, new Date(now.getTime() - INVITE_FAILURE_WINDOW_MS));
  if (failures.length >= INVITE_MAX_FAILURES) {
    const retryAt = new Date(failures[failures.length - INVITE_MAX_FAILURES]!.getTime() + INVITE_FAILURE_WINDOW_MS);
    await sendToChat(
      tx,
      now,
      chatRef,
      `为保护账号安全，一小时内邀请码输错 ${INVITE_MAX_FAILURES} 次后需要等待。请在 ${localStamp(retryAt, deps.config.TIMEZONE)} 以后再发。如果邀请码确实没有抄错，请向管理员重新索取。\n正确示例：${EXAMPLE}`,
    );
    return;
  }
  const personId = await consumeInvite(tx, code, `${msg.platform}:${msg.accountId}`, now);
  const person = personId !== undefined ? await personById(tx, personId) : null;
  if (!person) {
    await recordInviteFailure(tx, msg.platform, msg.accountId, now);
    const left = INVITE_MAX_FAILURES - failures.length - 1;
    await sendToChat(
      tx,
      now,
      chatRef,
      `邀请码${/^[A-Z0-9]{1,16}$/.test(code) ? `“${code}”` : ''}无法使用：可能抄错了，或已经用过、已过期、已被新的邀请码取代。请核对后再发（不区分大小写）；仍不行请向管理员重新索取。${left > 0 ? `一小时内还可以再试 ${left} 次。` : '一小时内已不能再试。'}\n正确示例：${EXAMPLE}`,
    );
    return;
  }
  const revoked = await bindAccount(tx, person.id, msg.platform, msg.accountId, now);
  await chats.audit(tx, now, 'bind', { platform: msg.platform, accountId: msg.accountId, revoked: revoked.map((r) => r.accountId) }, person.id, chatRef);
  for (const old of revoked) {
    await sendToChat(
      tx,
      now,
      `${old.platform}:dm:${old.accountId}`,
      `🔒 ${person.name}已在 ${localStamp(now, deps.config.TIMEZONE)} 绑定了新的账号，这个账号从现在起不再代表${person.name}，不能再查看或报送任何数据。如果不是您本人操作，请立即联系县教育局管理员。`,
      { kind: 'account_revoked' },
    );
  }
  const note = revoked.length > 0 ? `\n您原来绑定的账号已停用（已通知该账号）。` : '';
  await sendToChat(tx, now, chatRef, `绑定成功！您好，${person.name}（${ROLE_LABELS[person.role as Role]}）。发送「帮助」查看您可以用的命令。${note}`);
}

/** Who may move a group away from the class it is bound to: that class's teacher, or the principal of its school. */
function mayRebind(actor: Actor, current: { id: number; schoolId: number }): boolean {
  return (actor.role === 'class_teacher' && actor.classId === current.id) || (actor.role === 'principal' && actor.schoolId === current.schoolId);
}

/** The class to bind: a class teacher's own (or, in their own class's group, another class of the school to hand it
 * over); for a principal, the named class of their school. */
async function targetClass(ctx: Ctx, args: string, currentId: number | undefined) {
  const wanted = args.replace(/[（]/g, '(').replace(/[）]/g, ')').replace(/\s/g, '');
  const schoolId =
    ctx.actor.role === 'principal' ? ctx.actor.schoolId : ((ctx.actor.classId != null ? await classById(ctx.tx, ctx.actor.classId) : null)?.schoolId ?? null);
  if (schoolId == null) refuse(`您的账号还没有关联${ctx.actor.role === 'principal' ? '学校' : '班级'}，请联系管理员在人员名单中填写。`);
  const classes = await classesOfSchool(ctx.tx, schoolId);
  const own = classes.find((c) => c.id === ctx.actor.classId);
  const example = `绑定班级 ${(own ?? classes[0])?.name ?? '三(2)班'}`;
  if (!wanted) {
    if (own) return own;
    refuse('请写上要把本群绑定到哪个班级。', example);
  }
  const named = classes.find((c) => c.name === wanted);
  if (!named) refuse(`本校没有找到“${args}”。`, example);
  if (own && named.id !== own.id && currentId !== own.id) refuse(`您是${own.name}的班主任，只能绑定自己的班级。`, example);
  return named;
}

const BIND_CLASS_ARGS = [{ name: 'cls', kind: 'text', raw: true, title: '班级', optional: true }] as const satisfies readonly ArgSpec[];

export const bindClass: CommandDef = {
  id: 'bind_class',
  words: ['绑定班级', 'bind_class'],
  roles: ['class_teacher', 'principal'],
  where: 'group',
  mutates: true,
  summary: {
    zh: '在班级群里发送，把本群绑定为您的班级群（校长可写本校任一班级）',
    en: 'bind this group chat to your class (a principal names any class of the school)',
  },
  example: '绑定班级 三(2)班',
  args: BIND_CLASS_ARGS,
  async run(ctx, args) {
    const { cls = '' } = await readArgs(ctx, BIND_CLASS_ARGS, args, '绑定班级 三(2)班');
    const currentId = await chats.groupClass(ctx.tx, ctx.chatRef);
    const target = await targetClass(ctx, cls, currentId);
    const school = (await classById(ctx.tx, target.id))!.school;
    if (currentId === target.id) {
      await ctx.reply(`本群已经是${school.name} ${target.name}的班级群，无需重复绑定。`);
      return;
    }
    const current = currentId !== undefined ? await classById(ctx.tx, currentId) : null;
    if (current && !mayRebind(ctx.actor, current)) {
      refuse(
        `本群已经是${current.school.name} ${current.name}的班级群，不能直接改绑。改绑需要${current.name}的班主任或${current.school.name}校长在本群发送。`,
        `绑定班级 ${target.name}`,
      );
    }
    await chats.bindGroup(ctx.tx, ctx.chatRef, target.id, ctx.person.id, ctx.now);
    await ctx.reply(`已把本群绑定为 ${school.name} ${target.name} 班级群。以后每周统计可以直接在群里回复，如：应到45 实到44 病假1`);
    const by = `${ctx.person.name}（${ROLE_LABELS[ctx.actor.role]}）`;
    if (current) {
      for (const t of await peopleWithRole(ctx.tx, 'class_teacher', { classId: current.id })) {
        if (t.id === ctx.person.id) continue;
        await sendToPerson(
          ctx.tx,
          ctx.now,
          t.id,
          `📢 您的${current.name}班级群已由${by}改绑为 ${school.name} ${target.name} 的班级群，本班的每周统计提示不再发到那个群。如有误，请联系校长；绑定自己的群请在群里发送：绑定班级 ${current.name}`,
        );
      }
    }
    for (const t of await peopleWithRole(ctx.tx, 'class_teacher', { classId: target.id })) {
      if (t.id !== ctx.person.id) {
        await sendToPerson(ctx.tx, ctx.now, t.id, `📢 ${by}已把一个群绑定为您的${target.name}班级群，每周统计提示会发到那个群。如有误，请联系校长。`);
      }
    }
  },
};

export const whoami: CommandDef = {
  id: 'whoami',
  words: ['我是谁', 'whoami'],
  roles: 'all',
  where: 'any',
  mutates: false,
  summary: { zh: '查看我的身份和负责范围', en: 'show my role and scope' },
  example: '我是谁',
  async run(ctx) {
    const p = ctx.person;
    const cls = p.classId != null ? await classById(ctx.tx, p.classId) : null;
    const scope = cls ? `${cls.school.name} ${cls.name}` : '';
    await ctx.reply(`${p.name}（工号 ${p.staffId}），角色：${ROLE_LABELS[p.role as Role]}${scope ? `，负责：${scope}` : ''}`);
  },
};
