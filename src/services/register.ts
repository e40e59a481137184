/**
 * Register changes (学籍变动): suspension, borrowing study (a transfer goes through services/transfers.ts: it names the
 * receiving school and completes only when that school confirms). They are not dropouts: the student leaves
 * the roll, a suspected-dropout case is withdrawn with the reason, and running absence alerts are withdrawn.
 */
import type { Tx } from '../store/prisma.js';
import type { Deps } from './deps.js';
import type { DateStr } from '../domain/types.js';
import type { WithdrawReason } from '../domain/dropout-case.js';
import { applyToOpenCase } from './cases.js';
import { openAlertsOf } from '../store/alert.repository.js';
import { closeAlertAndTell } from './absence-alerts.js';
import type { StudentFull } from '../store/org.repository.js';
import { registerChanged } from './student-status.js';

export const REGISTER_CHANGES = {
  transferred_out: { label: '转学（转出）', withdraw: 'transferred' },
  suspended: { label: '休学', withdraw: 'suspended' },
  borrowing: { label: '借读', withdraw: 'borrowing' },
} as const satisfies Record<string, { label: string; withdraw: WithdrawReason }>;
export type RegisterChange = keyof typeof REGISTER_CHANGES;

export type RegisterResult = { ok: true; caseNote?: string; alertsWithdrawn: number } | { ok: false; reason: string };

export async function changeRegister(deps: Deps, tx: Tx, s: StudentFull, change: RegisterChange, on: DateStr, byPersonId: number): Promise<RegisterResult> {
  const { label, withdraw } = REGISTER_CHANGES[change];
  const step = await applyToOpenCase(deps, tx, s.id, { type: 'withdraw', at: on, by: String(byPersonId), reason: withdraw }, byPersonId);
  if (step && !step.ok) {
    return { ok: false, reason: `${s.name}有进行中的辍学个案，不能直接登记为${label}：${step.reason} 如确已${label}，请由县教育局核实后处理。` };
  }
  await registerChanged(tx, { studentId: s.id, change, on, byId: byPersonId, at: deps.clock.now() });
  const alerts = await openAlertsOf(tx, s.id);
  for (const a of alerts) {
    await closeAlertAndTell(deps, tx, a.id, 'withdrawn', `✅ 预警 #${a.id} 已撤销：${s.name}（${s.class.name}）已登记${label}，不属于辍学，无需为此家访。`);
  }
  return { ok: true, ...(step?.ok ? { caseNote: `个案 #${step.caseId} 已撤销` } : {}), alertsWithdrawn: alerts.length };
}
