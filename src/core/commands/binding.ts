/** Binding a chat account to a person (one-time invite code, in a direct message) and a group to a class. */
import { randomInt } from 'node:crypto';
import type { Incoming } from '../../../adapters/types.js';
import type { Deps } from '../../services/deps.js';
import { sendToChat } from '../../services/messenger.js';
import { L, type Lang } from '../../services/format.js';
import * as chats from '../../store/chat.repository.js';
import { classById, classesOfSchool, personById } from '../../store/org.repository.js';
import type { Tx } from '../../store/prisma.js';
import { ROLE_LABELS, type Role } from '../../domain/types.js';
import { refuse } from '../context.js';
import type { CommandDef } from '../registry.js';

export const BIND_WORDS = ['绑定', 'bind', 'start'];
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function unboundReply(lang: Lang): string {
  return L(
    lang,
    '您好！我是控辍保学助手。您的账号还没有绑定，我不能提供任何数据。\n请向县教育局管理员索取一次性邀请码，然后私信我：绑定 <邀请码>\n正确示例：绑定 K7M2QX9P',
    'Hello! I am the dropout-control assistant. This account is not bound yet, so I cannot show any data.\nAsk the county administrator for a one-time invite code, then send me in a direct message: bind <code>\nExample: bind K7M2QX9P',
  );
}

/** Creates a one-time invite code for a person (admin CLI). */
export async function createInviteCode(deps: Deps, personId: number): Promise<{ code: string; expiresAt: Date }> {
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.config.INVITE_TTL_HOURS * 3600_000);
  for (;;) {
    const code = Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
    if (await chats.findInvite(deps.db, code)) continue;
    await chats.createInvite(deps.db, personId, code, now, expiresAt);
    return { code, expiresAt };
  }
}

export async function redeemInviteCode(deps: Deps, tx: Tx, now: Date, msg: Incoming, chatRef: string, arg: string): Promise<void> {
  const code = arg.trim().toUpperCase();
  const invite = code ? await chats.findInvite(tx, code) : null;
  const problem = !code
    ? '请在“绑定”后面加上邀请码。'
    : !invite
      ? `邀请码“${code}”不存在，请核对（不区分大小写）。`
      : invite.usedAt
        ? '这个邀请码已经用过了，每个邀请码只能用一次。请向管理员重新索取。'
        : invite.expiresAt <= now
          ? '这个邀请码已过期，请向管理员重新索取。'
          : undefined;
  if (problem || !invite) {
    await sendToChat(tx, now, chatRef, `${problem}\n正确示例：绑定 K7M2QX9P`);
    return;
  }
  await chats.redeemInvite(tx, code, msg.platform, msg.accountId, now);
  const person = await personById(tx, invite.personId);
  await chats.audit(tx, now, 'bind', { platform: msg.platform, accountId: msg.accountId }, invite.personId, chatRef);
  await sendToChat(tx, now, chatRef, `绑定成功！您好，${person?.name}（${ROLE_LABELS[person?.role as Role]}）。发送「帮助」查看您可以用的命令。`);
}

export const bindClass: CommandDef = {
  id: 'bind_class',
  words: ['绑定班级', 'bind_class'],
  roles: ['class_teacher'],
  where: 'group',
  mutates: true,
  summary: { zh: '在班级群里发送，把本群绑定为您的班级群', en: 'bind this group chat to your class' },
  example: '绑定班级 三(2)班',
  async run(ctx, args) {
    const cls = ctx.actor.classId != null ? await classById(ctx.tx, ctx.actor.classId) : null;
    if (!cls) refuse('您的账号还没有关联班级，请联系管理员在人员名单中填写“班级”。');
    const wanted = args.replace(/[（]/g, '(').replace(/[）]/g, ')').replace(/\s/g, '');
    if (wanted && wanted !== cls.name) {
      const names = (await classesOfSchool(ctx.tx, cls.schoolId)).map((c) => c.name);
      if (names.includes(wanted)) refuse(`您是${cls.name}的班主任，只能绑定自己的班级。`, `绑定班级 ${cls.name}`);
      refuse(`没有找到“${args}”。`, `绑定班级 ${cls.name}`);
    }
    const current = await chats.groupClass(ctx.tx, ctx.chatRef);
    if (current === cls.id) {
      await ctx.reply(`本群已经是${cls.school.name} ${cls.name}的班级群，无需重复绑定。`);
      return;
    }
    await chats.bindGroup(ctx.tx, ctx.chatRef, cls.id, ctx.person.id, ctx.now);
    await ctx.reply(`已把本群绑定为 ${cls.school.name} ${cls.name} 班级群。以后每周统计可以直接在群里回复，如：应到45 实到44 病假1`);
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
