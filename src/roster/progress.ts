/** The import's progress as the terminal shows it, in Chinese. */
import type { ImportProgress } from './types.js';

const FILE = { people: '人员表', students: '学生表' } as const;
const WHAT = { places: '乡镇、村、学校、班级', students: '学生', people: '人员' } as const;

export function describeProgress(p: ImportProgress): string {
  if (p.phase === 'read') return p.done ? `${FILE[p.file]}：读取并检查完毕，共 ${p.rows} 行` : `${FILE[p.file]}：已读取并检查 ${p.rows} 行…`;
  if (p.what === 'places') return p.done === 0 ? `开始写入（全部成功才生效）：${WHAT.places}…` : `已写入${WHAT.places}（${p.total} 所学校）`;
  return `已写入${WHAT[p.what]} ${p.done}/${p.total}`;
}

/**
 * Writing reports every batch: print every `every` rows and at the end of each phase (reading reports at that pace
 * already). `onStep` runs at each printed line (the CLI collects garbage there).
 */
export function progressPrinter(write: (line: string) => void, every = 5000, onStep: () => void = () => undefined): (p: ImportProgress) => void {
  let bucket = 0;
  return (p) => {
    if (p.phase === 'write' && p.what !== 'places') {
      const b = Math.floor(p.done / every);
      if (p.done < p.total && b === bucket) return;
      bucket = p.done < p.total ? b : 0;
    }
    write(describeProgress(p));
    onStep();
  };
}
