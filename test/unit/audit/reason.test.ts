import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cutAtWord,
  defaultOwnerVerdict,
  reasonText,
  reassignVerdict,
  repVerdict,
  salesforceReason,
} from '../../../shared/domain/audit/reason.js';

/** A number after a ranking word in the same clause: exactly what the policy keeps out of Salesforce. */
const RANKING_NUMBER = /\b(performance|score|rank)\b[^;,]*?\d/i;

const word = fc.stringMatching(/^[A-Za-zÀ-ÿ'-]{1,12}$/).filter((w) => !/performance|score|rank/i.test(w));
const name = fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => ws.join(' '));
const number = fc.oneof(
  fc.integer({ min: 0, max: 500 }).map(String),
  fc.double({ min: 0, max: 1, noNaN: true }).map((n) => n.toFixed(2)),
);
const detail = fc.oneof(
  fc.array(fc.oneof(word, number), { minLength: 1, maxLength: 12 }).map((ws) => ws.join(' ')),
  fc
    .tuple(fc.constantFrom('performance', 'score', 'rank', 'Performance', 'lead score'), number)
    .map(([w, n]) => `${w} ${n}`),
  fc.tuple(name, number, number).map(([t, a, b]) => `territory ${t}, performance ${a}, headroom ${b}`),
  fc.tuple(number, number).map(([a, b]) => `ranked ${a} of ${b}`),
  fc.string({ maxLength: 80 }).map((s) => s.replaceAll(';', ' ')),
);
const verdict = fc.oneof(
  fc
    .tuple(name, name, fc.constantFrom('even rotation', 'top-up', 'by product'))
    .map(([r, t, how]) => repVerdict(r, t, how)),
  fc
    .tuple(name, name)
    .map(([q, t]) => defaultOwnerVerdict({ name: q, kind: 'queue' }, `no rep with capacity in ${t}`)),
  fc.tuple(fc.option(name, { nil: undefined }), name).map(([o, l]) => reassignVerdict(o, l)),
);

describe('the reasons policy', () => {
  it('never exceeds the field, always starts with the verdict, never puts a number after a ranking word', () => {
    fc.assert(
      fc.property(
        verdict,
        fc.array(detail, { maxLength: 8 }),
        fc.integer({ min: 20, max: 400 }),
        (v, details, max) => {
          const stored = reasonText({ verdict: v, details });
          const written = salesforceReason(stored, max);
          expect(written.length).toBeLessThanOrEqual(max);
          if (v.length < max) expect(written.startsWith(v)).toBe(true);
          else expect(v.startsWith(written.replace(/…$/, ''))).toBe(true);
          for (const clause of written.split(/[;,]/)) expect(clause).not.toMatch(RANKING_NUMBER);
          // The ledger's text follows the same rules; only the cut is Salesforce's.
          for (const clause of stored.split(/[;,]/).slice(1)) expect(clause).not.toMatch(RANKING_NUMBER);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('keeps the verdict of a long reason and cuts the detail on a word boundary', () => {
    const skipped = Array.from({ length: 12 }, (_, i) => `skipped Olivia Brown ${i}: at capacity`);
    const text = reasonText({
      verdict: defaultOwnerVerdict(
        { name: 'Lead Review', kind: 'queue' },
        'no rep with capacity in Toronto Core',
      ),
      details: [
        'Territory "Toronto Core" (priority 2; Canada > Ontario > GTA) matched PostalCode starts with "M5"',
        ...skipped,
      ],
    });
    const written = salesforceReason(text, 255);
    expect(written.startsWith('→ Lead Review queue: no rep with capacity in Toronto Core; ')).toBe(true);
    expect(written.length).toBeLessThanOrEqual(255);
    expect(written.endsWith('…')).toBe(true);
    expect(text.startsWith(written.slice(0, -1))).toBe(true);
    expect(text[written.length - 1]).toMatch(/[ ;:]/);
  });

  it('drops the clause with a score and keeps the rest of the sentence', () => {
    expect(
      salesforceReason(
        reasonText({
          verdict: repVerdict('Priya Sharma', 'Toronto Core', 'top-up'),
          details: ['run R: 12/40 new, performance 0.82, headroom 28', 'rank 3 of 12'],
        }),
        255,
      ),
    ).toBe('→ Priya Sharma, Toronto Core, top-up; run R: 12/40 new, headroom 28');
  });

  it('names a queue as a queue, once', () => {
    expect(defaultOwnerVerdict({ name: 'Lead Review', kind: 'queue' }, 'no territory matched')).toBe(
      '→ Lead Review queue: no territory matched',
    );
    expect(defaultOwnerVerdict({ name: 'Review Queue', kind: 'queue' }, 'x')).toBe('→ Review Queue: x');
    expect(defaultOwnerVerdict({ name: 'Joe Tremblay', kind: 'rep' }, 'x')).toBe('→ Joe Tremblay: x');
  });

  it('cuts inside a long word only when there is no earlier space', () => {
    expect(cutAtWord('abcdefghijklmnopqrstuvwxyz', 10)).toBe('abcdefghi…');
    expect(cutAtWord('short', 10)).toBe('short');
  });
});
