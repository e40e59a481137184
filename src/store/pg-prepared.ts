/**
 * Named (prepared) statements on PostgreSQL for the statements a process sends again and again. Prisma's adapter sends
 * every statement unnamed, so the server parses, analyses and plans it each time: on the hot path that was about
 * 2.2 ms of the server's CPU per message (7.5 statements), on a machine whose two cores the bot shares with it. With a
 * name, a connection parses a statement once, and the server may keep its plan.
 *
 * Which statements:
 * - only those with bound values: they go by the extended protocol anyway. One without values may hold several
 *   statements (the write lock's does), which a prepared statement cannot;
 * - at most PREPARED_PER_CONNECTION different texts a connection, the first ones seen. Multi-row INSERTs differ by
 *   their number of rows, and each name stays on the connection (and in the server's session) until it closes; the
 *   rest go unnamed, as before.
 * - not those that take every column (`SELECT *`, `RETURNING *`): a prepared statement's result columns are fixed,
 *   so after another replica's migration adds a column the server would refuse it on this connection ("cached plan
 *   must not change result type") until the connection closed.
 * A name is the text's number on its connection, so one name is never given two texts.
 */

/** Different statement texts a connection prepares; beyond them statements go unnamed. */
export const PREPARED_PER_CONNECTION = 300;

interface QueryConfig {
  text?: unknown;
  name?: unknown;
  values?: unknown;
}
type Query = (config: unknown, values?: unknown, callback?: unknown) => unknown;
interface ClientLike {
  query: Query;
}
interface PoolLike {
  on(event: 'connect', listener: (client: ClientLike) => void): unknown;
}

/** `SELECT *`, `t.*`, `RETURNING *`: result columns that follow the table's. */
const EVERY_COLUMN = /(SELECT|RETURNING|\.|,)\s*\*/i;

const isPool = (v: unknown): v is PoolLike => typeof v === 'object' && v !== null && typeof (v as { on?: unknown }).on === 'function';

/** The statement with its connection's name for its text, when it gets one. */
function named(names: Map<string, string>, config: unknown, values: unknown): unknown {
  if (typeof config !== 'object' || config === null) return config;
  const c = config as QueryConfig;
  const bound = values ?? c.values;
  if (typeof c.text !== 'string' || c.name !== undefined || !Array.isArray(bound) || bound.length === 0) return config;
  let name = names.get(c.text); // a text seen before was checked then
  if (name === undefined) {
    if (names.size >= PREPARED_PER_CONNECTION || EVERY_COLUMN.test(c.text)) return config;
    name = `kcbx_${names.size}`;
    names.set(c.text, name);
  }
  return { ...c, name };
}

/** Every connection the pool opens from now on names the statements it sends with values (see above). */
export function prepareRepeated(pool: unknown): boolean {
  if (!isPool(pool)) return false;
  pool.on('connect', (client) => {
    const names = new Map<string, string>();
    const query = client.query.bind(client) as Query;
    client.query = ((config: unknown, values?: unknown, callback?: unknown) => query(named(names, config, values), values, callback)) as Query;
  });
  return true;
}
