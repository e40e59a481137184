/** Writes a county as people.csv and students.csv (UTF-8 with BOM, as Excel saves "CSV UTF-8"), ready for `cli import`. */
import fs from 'node:fs';
import path from 'node:path';
import { PEOPLE_HEADER, STUDENT_HEADER, personCells, studentCells, type County } from './county-tables.js';

const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csv = (header: string[], rows: string[][]) => `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;

export function writeCountyCsv(dir: string, county: County): { people: string; students: string } {
  fs.mkdirSync(dir, { recursive: true });
  const files = { people: path.join(dir, 'people.csv'), students: path.join(dir, 'students.csv') };
  fs.writeFileSync(files.people, csv(PEOPLE_HEADER, county.people.map(personCells)));
  fs.writeFileSync(files.students, csv(STUDENT_HEADER, county.students.map(studentCells)));
  return files;
}
