/**
 * What routing reads for every message — the person an account acts as, and the class a group chat is bound to —
 * kept in memory per database handle, and checked with one read of the OrgVersion row per message.
 *
 * Triggers move OrgVersion in the same transaction as any insert, update or delete of Person, ChatAccount or
 * GroupBinding (migration *_org_version), whichever process or tool writes. A message's transaction reads the version
 * first: the same as the cache's, and what the cache holds is what the tables hold; moved, and the cache is emptied.
 *
 * What a transaction looks up goes into the shared cache only after it committed (`publish`), tagged with the version
 * it read at its start: a lookup made after the transaction itself changed those tables (a binding) is never kept,
 * because that commit moved the version, and a rolled-back transaction publishes nothing.
 */
import { queryRowsAfter } from './direct.js';
import type { Tx } from './prisma.js';
import { personById, type PersonRow } from './org.repository.js';
import { activePersonIdOf } from './account.repository.js';
import { groupClass } from './chat.repository.js';

interface Entries {
  /** `platform\u0000accountId` → person id, or null: acts as nobody. */
  accounts: Map<string, number | null>;
  people: Map<number, PersonRow | null>;
  /** chatRef → class id, or null: not a bound class group. */
  groups: Map<string, number | null>;
}

const empty = (): Entries => ({ accounts: new Map(), people: new Map(), groups: new Map() });

/** Entries beyond this many in one map: the map starts over (a county has a few thousand staff). */
const MAX_ENTRIES = 50_000;

class SharedOrgCache {
  version: number | undefined;
  entries: Entries = empty();
  hits = 0;
  misses = 0;

  /** The version a transaction read: the cache is good for it, or starts over for it. */
  sync(version: number | undefined): void {
    if (version === undefined || version !== this.version) {
      this.version = version;
      this.entries = empty();
    }
  }
}

const caches = new WeakMap<object, SharedOrgCache>();

function sharedFor(db: object): SharedOrgCache {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new SharedOrgCache()));
  return c;
}

/** The organisation's version as this transaction sees it (undefined on a database without the row: no caching). */
export function orgVersion(tx: Tx): Promise<number | undefined> {
  return orgVersionAfter(tx, []);
}

/**
 * orgVersion, read after `before` (statements without values, e.g. a savepoint) in the same round trip where the
 * database allows it (direct.ts).
 */
export async function orgVersionAfter(tx: Tx, before: readonly string[]): Promise<number | undefined> {
  const rows = await queryRowsAfter<{ version: number | bigint | string }>(tx, before, 'SELECT "version" FROM "OrgVersion" WHERE "id" = 1');
  return rows[0] ? Number(rows[0].version) : undefined;
}

/** One transaction's view: lookups answered from the shared cache when it is current, read (and noted) otherwise. */
export interface OrgView {
  personByAccount(platform: string, accountId: string): Promise<PersonRow | null>;
  groupClass(chatRef: string): Promise<number | undefined>;
  /** After the transaction committed: what it read becomes shared (if the cache is still at the version it read). */
  publish(): void;
}

/**
 * Opens a view for a transaction that holds the write lock (the version it reads cannot move under it but by its
 * own writes). `db` is the handle the cache belongs to (the client the transaction came from); `known`, the version
 * this transaction read before it wrote anything.
 */
export async function openOrgView(db: object, tx: Tx, known?: { version: number | undefined }): Promise<OrgView> {
  const shared = sharedFor(db);
  // Read already by this transaction (with the message's dedup, inbound.repository.ts), or read now.
  const version = known ? known.version : await orgVersion(tx);
  shared.sync(version);
  const cached = version !== undefined ? shared.entries : empty();
  const noted = empty();
  const lookup = async <K, V>(key: K, from: Map<K, V>, into: Map<K, V>, read: () => Promise<V>): Promise<V> => {
    if (from.has(key)) {
      shared.hits++;
      return from.get(key)!;
    }
    shared.misses++;
    const value = await read();
    into.set(key, value);
    return value;
  };
  const person = (id: number) => lookup(id, cached.people, noted.people, () => personById(tx, id));
  return {
    async personByAccount(platform, accountId) {
      const personId = await lookup(
        `${platform}\u0000${accountId}`,
        cached.accounts,
        noted.accounts,
        async () => (await activePersonIdOf(tx, platform, accountId)) ?? null,
      );
      return personId === null ? null : person(personId);
    },
    async groupClass(chatRef) {
      return (await lookup(chatRef, cached.groups, noted.groups, async () => (await groupClass(tx, chatRef)) ?? null)) ?? undefined;
    },
    publish() {
      if (version === undefined || shared.version !== version) return;
      for (const k of ['accounts', 'people', 'groups'] as const) {
        const into = shared.entries[k] as Map<unknown, unknown>;
        if (into.size > MAX_ENTRIES) into.clear();
        for (const [key, value] of noted[k] as Map<unknown, unknown>) into.set(key, value);
      }
    },
  };
}

/** Hits and misses so far for a database handle (tests and the bench). */
export function orgCacheStats(db: object): { version: number | undefined; hits: number; misses: number } {
  const c = sharedFor(db);
  return { version: c.version, hits: c.hits, misses: c.misses };
}
