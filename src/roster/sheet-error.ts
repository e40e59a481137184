/** A file that cannot be read as a table, said in Chinese with where it happened (line, column) when known. */
export class SheetError extends Error {
  constructor(
    readonly reason: string,
    readonly line?: number,
    readonly column?: string,
  ) {
    super(reason);
  }
}

/** A column by its header text when the header names it, and by its number always. */
export function columnLabel(header: readonly string[] | undefined, index: number): string {
  const name = header?.[index]?.trim();
  return name ? `${name}，第${index + 1}列` : `第${index + 1}列`;
}
