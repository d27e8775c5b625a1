/** `1 record`, `3 records`, `1,200 moves`: a count with its noun in the right number. */
export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${plural(n, noun)}`;
}

/** The noun for `n` things: `record` for one, `records` otherwise. */
export function plural(n: number, noun: string): string {
  return n === 1 ? noun : `${noun}s`;
}
