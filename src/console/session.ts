/** A console session: speak as a person in a chat, see every outbound message with its recipient. */
import { createConsoleAdapter, type ConsoleDelivery } from '../../adapters/console/console-adapter.js';
import { handleIncoming, type HandleResult } from '../core/router.js';
import { drainOutbox } from '../delivery/dispatcher.js';
import { localIso } from '../domain/zoned-time.js';
import type { Deps } from '../services/deps.js';
import { peopleByHandle } from '../store/org.repository.js';

export interface Delivered extends ConsoleDelivery {
  at: string;
  /** Recipient's name, for direct messages. */
  name?: string;
}

export class ConsoleSession {
  private readonly adapter;
  private readonly buffer: ConsoleDelivery[] = [];
  private readonly names = new Map<string, string>();

  constructor(private readonly deps: Deps) {
    this.adapter = createConsoleAdapter((d) => this.buffer.push(d));
  }

  async start(): Promise<void> {
    await this.adapter.start(async (m) => {
      this.last = await handleIncoming(this.deps, m);
    });
  }

  private last: HandleResult | undefined;

  /** Resolves a handle (工号 or name) to a staff id, or explains why not. */
  async resolve(handle: string): Promise<{ staffId: string; name: string } | { error: string }> {
    const found = await peopleByHandle(this.deps.db, handle);
    if (found.length === 1) return { staffId: found[0]!.staffId, name: found[0]!.name };
    if (found.length === 0) return { error: `没有找到人员“${handle}”（请用工号或姓名）` };
    return { error: `“${handle}”有 ${found.length} 人同名，请用工号：${found.map((p) => `${p.staffId}(${p.role})`).join('、')}` };
  }

  /** One message from a person in a chat ("dm" or a group name); returns what was delivered because of it. */
  async say(staffId: string, chat: string, text: string): Promise<{ result: HandleResult | undefined; delivered: Delivered[] }> {
    this.last = undefined;
    await this.adapter.say(staffId, chat, text);
    const result = this.last;
    return { result, delivered: await this.flush() };
  }

  /** Delivers whatever the outbox holds (also messages queued by duties). */
  async flush(): Promise<Delivered[]> {
    await drainOutbox(this.deps.db, this.deps.clock, new Map([['console', this.adapter]]));
    // People read local time: ISO with the county's offset (2026-11-20T08:00:00+08:00).
    const at = localIso(this.deps.clock.now(), this.deps.config.TIMEZONE);
    const out: Delivered[] = [];
    for (const d of this.buffer.splice(0)) {
      const name = d.chat === 'dm' ? await this.nameOf(d.to) : undefined;
      out.push({ at, ...d, ...(name ? { name } : {}) });
    }
    return out;
  }

  private async nameOf(staffId: string): Promise<string | undefined> {
    if (!this.names.has(staffId)) {
      const [p] = await peopleByHandle(this.deps.db, staffId);
      if (p) this.names.set(staffId, p.name);
    }
    return this.names.get(staffId);
  }
}

export function formatDelivery(d: Delivered): string {
  const where = d.chat === 'dm' ? `私聊 ${d.name ?? ''}(${d.to})` : `群「${d.chat}」`;
  const buttons = d.buttons?.length ? `\n   ${d.buttons.join('  ')}` : '';
  const file = d.attachment ? `\n   📎 ${d.attachment}` : '';
  return `→ ${where}：${d.text.replace(/\n/g, '\n   ')}${buttons}${file}`;
}
