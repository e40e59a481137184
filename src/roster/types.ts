/** Validated roster records, ready for the store. Line numbers are the source file's own. */
import type { AttentionKind, Role, SchoolKind, Stage } from '../domain/types.js';

export interface Table {
  header: string[];
  /** Cells keyed by the header text as written in the file. */
  rows: { line: number; cells: Record<string, string> }[];
}

/** One row of a sheet as read from the file: its own line number and its cells in column order. */
export interface SheetRow {
  line: number;
  values: string[];
}

export interface StudentRecord {
  line: number;
  studentNo: string;
  name: string;
  gender: 'M' | 'F';
  school: string;
  stage: Stage;
  /** Within the stage: primary 1–6, junior 1–3. */
  grade: number;
  classNo: number;
  className: string;
  town: string;
  village: string;
  group?: string;
  guardian?: string;
  guardianPhone?: string;
  attention: AttentionKind[];
}

export interface PersonRecord {
  line: number;
  staffId: string;
  name: string;
  role: Role;
  town?: string;
  village?: string;
  school?: string;
  className?: string;
  phone?: string;
}

export interface SchoolRecord {
  name: string;
  kind: SchoolKind;
  town: string;
}

export type RosterFile = 'people' | 'students';

/** A problem in a roster file (an error refuses the import; a warning is printed and the import goes on). */
export interface RosterError {
  file: RosterFile;
  /** The file's own line (CSV) or row (XLSX); absent when the problem is the file as a whole. */
  line?: number;
  column?: string;
  reason: string;
}

export interface Roster {
  people: PersonRecord[];
  students: StudentRecord[];
  schools: SchoolRecord[];
  towns: { name: string; villages: string[] }[];
}

/** `omitted`: further errors past the listed ones (a hopeless file is not listed to its last row). */
export type RosterResult = { ok: true; roster: Roster; warnings: RosterError[] } | { ok: false; errors: RosterError[]; omitted: number };

/** What the import tells the terminal as it goes. */
export type ImportProgress =
  | { phase: 'read'; file: RosterFile; rows: number; done: boolean }
  | { phase: 'write'; what: 'places' | 'students' | 'people'; done: number; total: number };
