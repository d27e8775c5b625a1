import { isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar } from 'yaml';
import {
  type ProblemLocator,
  type ValidationOptions,
  type ValidationResult,
  validateTerritoryConfig,
} from './validate.js';

/**
 * Read a territory config file's text (YAML, or JSON — which YAML reads too) and validate it.
 * Problems carry the file line and column of the value they are about.
 */
export function validateTerritoryConfigText(text: string, options: ValidationOptions = {}): ValidationResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      ok: false,
      warnings: [],
      problems: document.errors.map((error) => {
        const at = lineCounter.linePos(error.pos[0]);
        return {
          path: '',
          message: error.message.split('\n')[0] ?? error.message,
          line: at.line,
          column: at.col,
        };
      }),
    };
  }
  const locate: ProblemLocator = (path, inner) => {
    // The deepest node of the path that exists: a missing field is reported where its parent is.
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
      if ((isScalar(node) || isMap(node) || isSeq(node)) && node.range) {
        const at = lineCounter.linePos(node.range[0]);
        const start = { line: at.line, column: at.col };
        return inner && isScalar(node) && depth === path.length
          ? insideScalar(text, node, start, inner)
          : start;
      }
    }
    return undefined;
  };
  return validateTerritoryConfig(document.toJS(), options, locate);
}

/**
 * Where a position inside a scalar's text lies in the file: exact for single-line plain or quoted
 * values and for literal blocks (`|`); the value's start otherwise (folding moves columns).
 */
function insideScalar(
  source: string,
  node: Scalar,
  start: { line: number; column: number },
  inner: { line: number; column: number },
): { line: number; column: number } {
  if (node.type === Scalar.BLOCK_LITERAL) {
    const lines = source.split('\n');
    const contentLine = start.line + inner.line;
    const indent = /^ */.exec(lines[start.line] ?? '')?.[0].length ?? 0;
    return lines[contentLine - 1] === undefined
      ? start
      : { line: contentLine, column: indent + inner.column };
  }
  if (inner.line !== 1) return start;
  const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
  if (node.type !== Scalar.PLAIN && !quoted) return start;
  return { line: start.line, column: start.column + inner.column - 1 + (quoted ? 1 : 0) };
}
