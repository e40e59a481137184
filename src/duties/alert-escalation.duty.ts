/**
 * The escalation ladder of an absence alert, driven by stored state rather than a time of day:
 * - each recipient who has not acknowledged gets one reminder after the alert's remind delay;
 * - a two-day alert (joint home visit) needs a home visit logged within the alert's visit delay, otherwise it
 *   climbs to the town officials, and after the same delay again to the county. A step's delay counts from the
 *   previous step; an acknowledgement stops reminders but not the climb — only a logged visit does.
 * The delays are those stored on the alert when it was raised: a policy change does not rewrite running alerts.
 * Officials (and the people named by 包保 for the pupil) get one digest for all alerts that climb at once, not one
 * message each. Lines show the pupil's 重点关注 kinds: digests are direct messages to people responsible for them.
 */
import type { Deps } from '../services/deps.js';
import type { Duty, DueItem } from './types.js';
import { dutyKey } from './types.js';
import { claim, finish, keysDone } from '../store/duty-run.repository.js';
import { escalateAlert, openAlertsWithRecipients, outboxStatuses, visitedSince } from '../store/duty.repository.js';
import { peopleWithRole, studentById, type StudentFull } from '../store/org.repository.js';
import { addRecipient, recipientsOf } from '../store/alert.repository.js';
import { sendToPerson, sendToPersonNow } from '../services/messenger.js';
import { ackButton } from '../services/absence-alerts.js';
import { dayLabel, studentLine } from '../services/format.js';
import type { Tx } from '../store/prisma.js';
import { attentionTag } from '../domain/attention.js';
import { guarantorsOf } from '../store/guarantor.repository.js';
import { recordFaults } from '../services/faults.js';
import { alertsByIds, recipientWithAlert } from '../store/alert-read.repository.js';

const MIN = 60_000;

export const alertReminder: Duty = {
  name: 'alert_reminder',
  async due(deps, { to }) {
    const alerts = await openAlertsWithRecipients(deps.db);
    const statuses = await outboxStatuses(
      deps.db,
      alerts.flatMap((a) => a.recipients.map((r) => r.outboxId).filter((x): x is number => x != null)),
    );
    // Due (alert, recipient) pairs, one reminder each, gathered per person: several at once make one message.
    const byPerson = new Map<number, { alertId: number; recipientId: number; key: string; dueAt: Date }[]>();
    for (const a of alerts) {
      if (a.remindAfterMin == null) continue;
      for (const r of a.recipients) {
        // Only once the alert was actually delivered: a reminder of something never received helps nobody.
        if (r.ackAt || r.outboxId == null || statuses.get(r.outboxId) !== 'sent') continue;
        const dueAt = new Date(r.notifiedAt.getTime() + a.remindAfterMin * MIN);
        if (dueAt > to) continue;
        const key = dutyKey('alert_reminder', `alert:${a.id}`, `person:${r.personId}`);
        byPerson.set(r.personId, [...(byPerson.get(r.personId) ?? []), { alertId: a.id, recipientId: r.id, key, dueAt }]);
      }
    }
    const done = await keysDone(
      deps.db,
      [...byPerson.values()].flat().map((p) => p.key),
    );
    const items: DueItem[] = [];
    for (const [personId, all] of byPerson) {
      const pairs = all.filter((p) => !done.has(p.key));
      if (pairs.length === 0) continue;
      const period = `person:${personId}`;
      const target = `alerts:${pairs.map((p) => p.alertId).join(',')}`;
      const key = dutyKey('alert_reminder', period, target);
      items.push({
        key,
        duty: 'alert_reminder',
        period,
        target,
        dueAt: new Date(Math.max(...pairs.map((p) => p.dueAt.getTime()))),
        async run(tx) {
          const now = deps.clock.now();
          const lines: string[] = [];
          const ids: number[] = [];
          for (const p of pairs) {
            // Each (alert, person) is reminded once, even when another process batched it differently.
            if ((await keysDone(tx, [p.key])).size) continue;
            const fresh = await recipientWithAlert(tx, p.recipientId);
            if (!fresh || fresh.ackAt || fresh.alert.status !== 'open') continue;
            const s = await studentById(tx, fresh.alert.studentId);
            if (!s) continue;
            await claim(tx, { key: p.key, duty: 'alert_reminder', period: `alert:${p.alertId}`, target: `person:${personId}`, dueAt: p.dueAt, at: now });
            await finish(tx, p.key, 'sent', 0);
            lines.push(`· #${p.alertId} ${studentLine(s)}${attentionTag(s.attention)}，自${dayLabel(fresh.alert.streakSince)}起连续无故缺勤`);
            ids.push(p.alertId);
          }
          if (ids.length === 0) return 0;
          const text = [`🔔 以下预警您还没有确认收到：`, ...lines, `请尽快处理并回复：收到 ${ids.join('、')}`].join('\n');
          await sendToPerson(tx, now, personId, text, { kind: 'alert_reminder', dutyKey: key, buttons: ids.slice(0, 5).map(ackButton) });
          return 1;
        },
      });
    }
    return items;
  },
};

type Level = 'town' | 'county';
const NEXT: Record<string, Level | undefined> = { none: 'town', town: 'county' };

export const alertEscalation: Duty = {
  name: 'alert_escalation',
  async due(deps, { to }) {
    const batches: Record<Level, { alertId: number; dueAt: Date }[]> = { town: [], county: [] };
    for (const a of await openAlertsWithRecipients(deps.db)) {
      const level = NEXT[a.escalation];
      if (a.step !== 'joint_home_visit' || a.visitWithinMin == null || !level) continue;
      const from = a.escalation === 'none' ? a.createdAt : a.escalatedAt;
      if (!from) continue;
      const dueAt = new Date(from.getTime() + a.visitWithinMin * MIN);
      if (dueAt > to || (await visitedSince(deps.db, a.studentId, a.streakSince))) continue;
      batches[level].push({ alertId: a.id, dueAt });
    }
    return (['town', 'county'] as const)
      .filter((level) => batches[level].length > 0)
      .map((level): DueItem => {
        const batch = batches[level];
        const period = `${level}:${batch.map((b) => b.alertId).join(',')}`;
        const key = dutyKey('alert_escalation', period, level);
        return {
          key,
          duty: 'alert_escalation',
          period,
          target: level,
          dueAt: new Date(Math.max(...batch.map((b) => b.dueAt.getTime()))),
          run: (tx) =>
            escalate(
              deps,
              tx,
              level,
              batch.map((b) => b.alertId),
              key,
            ),
        };
      });
  },
};

async function escalate(deps: Deps, tx: Tx, level: Level, alertIds: number[], key: string): Promise<number> {
  const now = deps.clock.now();
  const hours = (min: number) => (min % 60 === 0 ? `${min / 60} 小时` : `${min} 分钟`);
  // Officials → the alerts that climbed to them now (another process may have moved some already).
  const byOfficial = new Map<number, { alertId: number; s: StudentFull; line: string }[]>();
  const alerts = await alertsByIds(tx, alertIds);
  for (const alertId of alertIds) {
    const a = alerts.get(alertId);
    if (!a || a.status !== 'open' || (await visitedSince(tx, a.studentId, a.streakSince))) continue;
    if (!(await escalateAlert(tx, alertId, level === 'town' ? 'none' : 'town', level, now))) continue;
    await recordFaults(tx, alertId, level, now);
    const s = await studentById(tx, a.studentId);
    if (!s) continue;
    const officials = level === 'town' ? await peopleWithRole(tx, 'town', { townId: s.village.townId }) : await peopleWithRole(tx, 'county');
    // The people named by 包保 for this pupil hear that it climbed, as the officials do.
    const named = (await guarantorsOf(tx, s.id)).filter((p) => !officials.some((o) => o.id === p.id));
    const waited = level === 'town' ? hours(a.visitWithinMin ?? 0) : `${hours(a.visitWithinMin ?? 0)}（已报镇里后又过了同样时间）`;
    const line = `#${a.id} ${studentLine(s)}${attentionTag(s.attention)}，${s.village.town.name}${s.village.name}；自${dayLabel(a.streakSince)}起无故缺勤，预警已过 ${waited} 仍未登记家访`;
    for (const o of [...officials, ...named]) byOfficial.set(o.id, [...(byOfficial.get(o.id) ?? []), { alertId, s, line }]);
  }
  let messages = 0;
  for (const [officialId, list] of byOfficial) {
    const head =
      level === 'town' ? '🚨 预警升级到镇：以下学生两天未到校，学校和村里还没有登记家访：' : '🚨 预警升级到县：以下学生两天未到校，报镇里后仍没有登记家访：';
    const text = [head, ...list.map((x) => `· ${x.line}`), `请督促包保责任人立即入户家访。确认收到请回复：收到 ${list.map((x) => x.alertId).join('、')}`].join(
      '\n',
    );
    const outboxId = await sendToPersonNow(tx, now, officialId, text, {
      kind: 'alert_escalation',
      dutyKey: key,
      urgent: true,
      buttons: list.slice(0, 5).map((x) => ackButton(x.alertId)),
    });
    for (const x of list) {
      // The official now owns the alert too: they can acknowledge it and are told when it closes.
      if (!(await recipientsOf(tx, x.alertId)).some((r) => r.personId === officialId)) await addRecipient(tx, x.alertId, officialId, outboxId, now);
    }
    messages++;
  }
  return messages;
}
