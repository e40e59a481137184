/** The import's bad-row report and its warnings, one line per problem, in Chinese. */
import type { RosterError } from './types.js';

const FILE_LABEL = { people: '人员表', students: '学生表' } as const;

const lineOf = (e: RosterError) => `${FILE_LABEL[e.file]}${e.line ? ` 第${e.line}行` : ''}${e.column ? ` [${e.column}]` : ''}：${e.reason}`;

export function formatRosterErrors(errors: readonly RosterError[], omitted = 0): string {
  const rows = new Set(errors.filter((e) => e.line).map((e) => `${e.file}:${e.line}`)).size;
  const more =
    omitted > 0
      ? `以上列出前 ${errors.length} 个问题，另有 ${omitted} 个未列出（改正后重新导入会再次检查）。`
      : `共 ${errors.length} 个问题${rows ? `，涉及 ${rows} 行` : ''}。`;
  return [...errors.map(lineOf), more].join('\n');
}

export function formatRosterWarnings(warnings: readonly RosterError[]): string {
  return warnings.map((w) => `提醒：${lineOf(w)}`).join('\n');
}
