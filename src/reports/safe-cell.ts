/**
 * Formula injection (CSV/XLSX): a spreadsheet may run a cell whose text starts with = + - @, and some strip a
 * leading tab or carriage return first. Such text is written with a leading apostrophe, so it stays text.
 * Numbers are left alone: only text can carry a formula.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function safeCell<T>(value: T): T | string {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

export function safeRow<T>(values: readonly T[]): (T | string)[] {
  return values.map(safeCell);
}
