import { readFileSync } from 'node:fs';

/** A file named on the command line, as text; the error says which file and why (`ENOENT`), not a stack. */
export function readInputFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}
