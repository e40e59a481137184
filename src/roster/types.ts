/** Validated roster records, ready for the store. Line numbers are the source file's own. */
import type { AttentionKind, Role, SchoolKind, Stage } from '../domain/types.js';

export interface Table {
  header: string[];
  /** Cells keyed by the header text as written in the file. */
  rows: { line: number; cells: Record<string, string> }[];
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

export interface RosterError {
  file: 'people' | 'students';
  line: number;
  column?: string;
  reason: string;
}

export interface Roster {
  people: PersonRecord[];
  students: StudentRecord[];
  schools: SchoolRecord[];
  towns: { name: string; villages: string[] }[];
}

export type RosterResult = { ok: true; roster: Roster } | { ok: false; errors: RosterError[] };
