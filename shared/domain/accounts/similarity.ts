/**
 * Jaro–Winkler similarity (Winkler 1990): 1 for equal strings, 0 for nothing in common; a shared
 * prefix (up to four characters) counts extra, which suits typos in company names.
 */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  const matchedA = new Uint8Array(la);
  const matchedB = new Uint8Array(lb);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(lb - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (matchedB[j] || a.charCodeAt(i) !== b.charCodeAt(j)) continue;
      matchedA[i] = 1;
      matchedB[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  for (let i = 0, j = 0; i < la; i++) {
    if (!matchedA[i]) continue;
    while (!matchedB[j]) j++;
    if (a.charCodeAt(i) !== b.charCodeAt(j)) transpositions++;
    j++;
  }
  const jaro = (matches / la + matches / lb + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < la && prefix < lb && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/**
 * Similarity of two token lists: each token's best Jaro–Winkler partner on the other side,
 * weighted by token length, both directions. A word only one side has pulls the score down, so
 * "acme widgets" vs "acme" scores about 0.7 while "brightwater analytcs" vs "brightwater analytics" scores 0.99.
 */
export function tokenSimilarity(a: readonly string[], b: readonly string[]): TokenSimilarity {
  let weighted = 0;
  let total = 0;
  let weakest = 1;
  for (const [from, to] of [
    [a, b],
    [b, a],
  ] as const) {
    for (const token of from) {
      let best = 0;
      for (const other of to) {
        const s = jaroWinkler(token, other);
        if (s > best) best = s;
        if (best === 1) break;
      }
      weighted += best * token.length;
      total += token.length;
      if (best < weakest) weakest = best;
    }
  }
  return total === 0 ? { score: 0, weakest: 0 } : { score: weighted / total, weakest };
}

export interface TokenSimilarity {
  /** Length-weighted mean of every token's best partner, both directions. */
  score: number;
  /** The worst token's best partner: low when one word has no counterpart ("centon" vs "central"). */
  weakest: number;
}

// Rows reused across calls: the matcher compares many words per lead and allocation would dominate.
let rows = [new Int32Array(32), new Int32Array(32), new Int32Array(32)];

/**
 * Optimal string alignment distance (Levenshtein plus swaps of neighbours), giving up above `limit`:
 * `limit + 1` means "more than the limit". Small limits make it a cheap "is this a typo?" test.
 */
export function typoDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a === b) return 0;
  // Common prefix and suffix cost nothing; what is left between them holds every edit.
  let start = 0;
  while (start < a.length && start < b.length && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  if (x.length === 0 || y.length === 0) return Math.min(Math.max(x.length, y.length), limit + 1);
  const n = y.length;
  if (rows[0]!.length <= n) rows = [new Int32Array(n + 1), new Int32Array(n + 1), new Int32Array(n + 1)];
  let [beforePrevious, previous, current] = rows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= n; j++) previous[j] = j;
  for (let i = 1; i <= x.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = x.charCodeAt(i - 1) === y.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (
        i > 1 &&
        j > 1 &&
        x.charCodeAt(i - 1) === y.charCodeAt(j - 2) &&
        x.charCodeAt(i - 2) === y.charCodeAt(j - 1)
      ) {
        d = Math.min(d, beforePrevious[j - 2]! + 1);
      }
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  return Math.min(previous[n]!, limit + 1);
}

/** Typos a word of this length may carry and still be the same word: none up to 4 letters, 1 up to 9, then 2. */
export function allowedTypos(length: number): number {
  return length <= 4 ? 0 : length <= 9 ? 1 : 2;
}

/**
 * Whether two names with the same number of words differ only by typos: each word, in order, equals
 * its counterpart or is within `allowedTypos` edits of it ("Brightwater Analytcs" ~ "Brightwater
 * Analytics"; "Istbe Aerospace" ≁ "Istel Aerospace", two edits in a five-letter word).
 */
export function differOnlyByTypos(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    const limit = allowedTypos(Math.min(x.length, y.length));
    if (limit === 0 || typoDistance(x, y, limit) > limit) return false;
  }
  return true;
}
