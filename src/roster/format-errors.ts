/** The import's bad-row report, one line per problem, in Chinese. */
import type { RosterError } from './types.js';

const FILE_LABEL = { people: '人员表', students: '学生表' } as const;

export function formatRosterErrors(errors: readonly RosterError[]): string {
  const lines = errors.map((e) => `${FILE_LABEL[e.file]} 第${e.line}行${e.column ? ` [${e.column}]` : ''}：${e.reason}`);
  const rows = new Set(errors.map((e) => `${e.file}:${e.line}`)).size;
  return [...lines, `共 ${errors.length} 个问题，涉及 ${rows} 行。`].join('\n');
}
