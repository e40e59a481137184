/**
 * The benches' PostgreSQL housekeeping: one statement on a server (CREATE DATABASE, DROP DATABASE …) and the URL of
 * another database on the same server. Used by the county bench (county.ts) and the hot-path bench (hot-path.ts).
 */
import { PrismaPg } from '@prisma/adapter-pg';

/** True for a URL the benches take as a PostgreSQL server. */
export const isPgServerUrl = (url: string): boolean => /^postgres(ql)?:\/\//.test(url);

/** Runs one statement on the server's database named in `server` (any database there: postgres, test, …). */
export async function pgAdmin(server: string, sql: string): Promise<void> {
  const adapter = await new PrismaPg({ connectionString: server, max: 1 }).connect();
  try {
    await adapter.executeRaw({ sql, args: [], argTypes: [] });
  } finally {
    await adapter.dispose();
  }
}

/** The URL of database `name` on the server of `server` (same user, host, port and parameters). */
export const pgDatabaseUrl = (server: string, name: string): string => Object.assign(new URL(server), { pathname: `/${name}` }).toString();
