/** One-time invite codes: issued for many people at once, each replacing the person's earlier unused codes. */
import { randomInt } from 'node:crypto';
import type { Deps } from './deps.js';
import type { Tx } from '../store/prisma.js';
import { existingCodes, replaceInvites } from '../store/invite.repository.js';

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;

function randomCode(): string {
  let s = '';
  for (let i = 0; i < CODE_LENGTH; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

/** New codes for these people (one each, all with the same expiry); their earlier unused codes stop working. */
export async function issueInvites(deps: Deps, db: Tx, personIds: number[]): Promise<{ codes: Map<number, string>; expiresAt: Date }> {
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.config.INVITE_TTL_HOURS * 3600_000);
  const codes = new Map<number, string>();
  let pending = [...new Set(personIds)];
  while (pending.length > 0) {
    const drawn = new Map(pending.map((id) => [id, randomCode()]));
    const taken = await existingCodes(db, [...drawn.values()]);
    const used = new Set(codes.values());
    const retry: number[] = [];
    for (const [id, code] of drawn) {
      if (taken.has(code) || used.has(code)) retry.push(id);
      else {
        codes.set(id, code);
        used.add(code);
      }
    }
    pending = retry;
  }
  await replaceInvites(
    db,
    [...codes].map(([personId, code]) => ({ personId, code })),
    now,
    expiresAt,
  );
  return { codes, expiresAt };
}
