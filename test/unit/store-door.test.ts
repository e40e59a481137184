/**
 * One door to the store: outside src/store no code imports the generated Prisma client or calls it. Commands,
 * services, duties, reports and adapters get repository functions instead; and a student's register status is
 * changed only through src/services/student-status.ts. The scan reads every .ts file under src/ and adapters/ and
 * names each violation as file:line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Prisma } from '../../generated/prisma/client.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The model delegates' names as the client spells them (student, schoolClass, …), from the generated client. */
const MODELS = Object.values(Prisma.ModelName).map((m) => m[0]!.toLowerCase() + m.slice(1));

/** The methods of a model delegate, read from the generated client (findMany, create, upsert, groupBy, …). */
function delegateMethods(): string[] {
  const text = fs.readFileSync(path.join(ROOT, 'generated/prisma/models/Student.ts'), 'utf8');
  const start = text.indexOf('export interface StudentDelegate');
  const body = text.slice(start, text.indexOf('\n}', start));
  return [...new Set([...body.matchAll(/^ {2}([a-zA-Z]+)</gm)].map((m) => m[1]!))];
}
const METHODS = delegateMethods();

/** `tx.student.findMany(`, a destructured `student.findMany(` and `tx['student'].findMany(` alike. */
const MODEL_CALL = new RegExp(`(?:(?<![A-Za-z0-9_$])|\\[\\s*['"\`])(${MODELS.join('|')})(?:['"\`]\\s*\\])?\\s*\\.\\s*(${METHODS.join('|')})\\s*\\(`, 'g');
const RAW = /\$(queryRawUnsafe|executeRawUnsafe|queryRaw|executeRaw|transaction)\b/g;
const CLIENT_IMPORT = /(?:from\s*|import\s*\(\s*|require\s*\(\s*)['"][^'"]*(generated\/prisma|@prisma\/client)[^'"]*['"]/g;
/** The store's register writes: only the student-status service may import them. */
const STATUS_WRITES = /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*['"][^'"]*store\/student\.repository(?:\.js)?['"]/g;
const STATUS_WRITERS = ['writeStudentStatus', 'writeStudentClass'];
const STATUS_SERVICE = 'src/services/student-status.ts';

/** Blanks out comments, keeping line breaks, so a comment that mentions a call is not one. */
function withoutComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\/|(^|[^:'"`\\])\/\/[^\n]*/g, (m, lead: string | undefined) =>
    m.startsWith('/*') ? m.replace(/[^\n]/g, ' ') : `${lead ?? ''}${' '.repeat(m.length - (lead ?? '').length)}`,
  );
}

/** Each violation in one file's source, as "file:line what". */
export function violations(file: string, source: string): string[] {
  const src = withoutComments(source);
  const lineOf = (i: number) => src.slice(0, i).split('\n').length;
  const out: string[] = [];
  for (const m of src.matchAll(CLIENT_IMPORT)) out.push(`${file}:${lineOf(m.index)} imports the generated Prisma client`);
  for (const m of src.matchAll(MODEL_CALL)) out.push(`${file}:${lineOf(m.index)} calls Prisma directly: ${m[1]}.${m[2]}(`);
  for (const m of src.matchAll(RAW)) out.push(`${file}:${lineOf(m.index)} uses $${m[1]}`);
  if (file !== STATUS_SERVICE)
    for (const m of src.matchAll(STATUS_WRITES)) {
      const names = m[1]!.split(',').map((n) =>
        n
          .trim()
          .split(/\s+as\s+/)[0]!
          .replace(/^type\s+/, ''),
      );
      for (const n of names.filter((x) => STATUS_WRITERS.includes(x)))
        out.push(`${file}:${lineOf(m.index)} imports ${n}: a student's status changes only in ${STATUS_SERVICE}`);
    }
  return out;
}

function tsFiles(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** Inside src/store, a write of Student.status: a Prisma update of student, or SQL updating "Student" that sets "status". */
const STORE_STATUS_WRITE = /\.\s*student\s*\.\s*(update|updateMany|updateManyAndReturn|upsert)\s*\(|UPDATE\s+"?Student"?\s+SET[^;`]*?\bstatus\b/gi;

describe('one door to the store', () => {
  it('reads the model and method names from the generated client', () => {
    expect(MODELS).toContain('student');
    expect(MODELS).toContain('schoolClass');
    expect(MODELS.length).toBeGreaterThan(40);
    for (const m of ['findUnique', 'findMany', 'create', 'createMany', 'update', 'upsert', 'delete', 'deleteMany', 'count', 'aggregate', 'groupBy'])
      expect(METHODS).toContain(m);
  });

  it('catches each kind of violation, naming file and line', () => {
    const src = [
      "import { PrismaClient } from '../../generated/prisma/client.js';",
      "import type { Prisma } from '../generated/prisma/client.js';",
      'const a = await tx.student.findMany({ where: {} });',
      'const b = await ctx.tx.schoolClass',
      '  .findUniqueOrThrow({ where: { id } });',
      'await deps.db.outbox.count();',
      'await db.$transaction(async (t) => t);',
      'await tx.$queryRaw`SELECT 1`;',
      "await tx.$executeRawUnsafe('DELETE FROM x');",
      "import { writeStudentStatus } from '../store/student.repository.js';",
      "const m = await import('../generated/prisma/client.js');",
      'const { student } = tx; await student.upsert({});',
      "await tx['attendanceMark'].groupBy({ by: ['date'] });",
    ].join('\n');
    expect(violations('src/x.ts', src)).toEqual([
      'src/x.ts:1 imports the generated Prisma client',
      'src/x.ts:2 imports the generated Prisma client',
      'src/x.ts:11 imports the generated Prisma client',
      'src/x.ts:3 calls Prisma directly: student.findMany(',
      'src/x.ts:4 calls Prisma directly: schoolClass.findUniqueOrThrow(',
      'src/x.ts:6 calls Prisma directly: outbox.count(',
      'src/x.ts:12 calls Prisma directly: student.upsert(',
      'src/x.ts:13 calls Prisma directly: attendanceMark.groupBy(',
      'src/x.ts:7 uses $transaction',
      'src/x.ts:8 uses $queryRaw',
      'src/x.ts:9 uses $executeRawUnsafe',
      `src/x.ts:10 imports writeStudentStatus: a student's status changes only in ${STATUS_SERVICE}`,
    ]);
    expect(violations(STATUS_SERVICE, "import { writeStudentStatus } from '../store/student.repository.js';")).toEqual([]);
  });

  it('leaves ordinary code alone', () => {
    const src = [
      '// tx.student.findMany( in a comment is not a call',
      '/* nor db.$transaction( here */',
      'const n = row.alert.status;',
      'const s = fresh.alert.streakSince;',
      'ids.delete(3); map.count; list.create;',
      'const t = await alertById(tx, id);',
      "const url = 'https://example.org/a'; // tx.town.findFirst(",
      'await withWriteTransaction(db, async (tx) => studentById(tx, 1));',
      "import { enrolledNamesOfClass } from '../store/student.repository.js';",
      "const roles = ['county']; const students = rows.filter((r) => r.ok); mystudent.update(x); student_.count(y);",
      'const n = await countStudents(tx); studentById(tx, 1);',
    ].join('\n');
    expect(violations('src/y.ts', src)).toEqual([]);
  });

  it('inside src/store only student.repository.ts writes a student row (its status among others)', () => {
    expect('await db.student.update({ where: { id }, data: { status } });'.match(STORE_STATUS_WRITE)).toHaveLength(1);
    expect('UPDATE "Student" SET "status" = ${s} WHERE "id" = ${id}'.match(STORE_STATUS_WRITE)).toHaveLength(1);
    const files = tsFiles('src/store').filter((f) => f !== 'src/store/student.repository.ts');
    const found = files.flatMap((f) =>
      [...withoutComments(fs.readFileSync(path.join(ROOT, f), 'utf8')).matchAll(STORE_STATUS_WRITE)].map((m) => `${f}: ${m[0]}`),
    );
    expect(found).toEqual([]);
  });

  it('no code outside src/store imports the generated client or calls Prisma', () => {
    const files = [...tsFiles('src'), ...tsFiles('adapters')].filter((f) => !f.startsWith('src/store/'));
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((f) => violations(f, fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(found).toEqual([]);
  });
});
