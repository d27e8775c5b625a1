import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../shared/adapters/cli/main.js';
import { generateEvaluationSet, scoreMatches } from '../support/accounts-data.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'accounts');
const dir = mkdtempSync(join(tmpdir(), 'accounts-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let errors: string[];
beforeEach(() => {
  errors = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    errors.push(args.join(' '));
  });
});
afterEach(() => vi.restoreAllMocks());

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('territory-router accounts match', () => {
  it('writes one row per lead with the account, confidence and reason', async () => {
    const out = join(dir, 'matches.csv');
    const code = await runCli([
      'accounts',
      'match',
      '--accounts',
      join(fixtures, 'accounts.csv'),
      '--leads',
      join(fixtures, 'leads.csv'),
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(['LeadId', 'AccountId', 'Confidence', 'Reason']);
    expect(rows.map((r) => [r.LeadId, r.AccountId])).toEqual([
      ['00Q000000000001AAA', '001000000000001AAA'],
      ['00Q000000000002AAA', ''],
      ['00Q000000000003AAA', '001000000000002AAA'],
      ['00Q000000000004AAA', ''],
      ['00Q000000000005AAA', '001000000000004AAA'],
      ['00Q000000000006AAA', '001000000000005AAA'],
      ['00Q000000000007AAA', '001000000000006AAA'],
      ['00Q000000000008AAA', ''],
    ]);
    expect(rows[0]!.Reason).toBe('email domain americanexpress.com = account website americanexpress.com');
    expect(Number(rows[0]!.Confidence)).toBeGreaterThan(0.9);
    expect(rows[1]!.Confidence).toBe('0');
    expect(rows[7]!.Reason).toMatch(/gmail\.com is free-mail/);
    expect(errors.join('\n')).toMatch(/matched 5 of 8 leads to 6 accounts/);
  });

  it('writes JSON with --json, and a stricter threshold drops the acronym match', async () => {
    const out = join(dir, 'matches.json');
    const args = [
      'accounts',
      'match',
      '--accounts',
      join(fixtures, 'accounts.csv'),
      '--leads',
      join(fixtures, 'leads.csv'),
    ];
    expect(await runCli([...args, '--out', out, '--json', '--min-confidence', '0.95'])).toBe(0);
    const rows = JSON.parse(readFileSync(out, 'utf8')) as {
      LeadId: string;
      AccountId: string;
      Confidence: number;
    }[];
    expect(rows).toHaveLength(8);
    expect(rows.find((r) => r.LeadId === '00Q000000000005AAA')?.AccountId).toBe('');
    expect(rows.find((r) => r.LeadId === '00Q000000000001AAA')?.AccountId).toBe('001000000000001AAA');
    expect(rows.every((r) => r.AccountId === '' || r.Confidence >= 0.95)).toBe(true);
  });

  it.each([
    [
      'a missing column',
      'Id,Name,Website\n001A,Acme,acme.com\n',
      /accounts\.csv: missing columns BillingCountry, BillingPostalCode, OwnerId/,
    ],
    ['an empty file', '', /accounts\.csv: empty file/],
    [
      'a repeated id',
      'Id,Name,Website,BillingCountry,BillingPostalCode,OwnerId\n001A,Acme,,,,\n001A,Acme 2,,,,\n',
      /line 3: account 001A repeats line 2/,
    ],
    [
      'an empty name',
      'Id,Name,Website,BillingCountry,BillingPostalCode,OwnerId\n001A,,,,,\n',
      /line 2: Name is empty/,
    ],
    [
      'an id longer than 18 characters',
      'Id,Name,Website,BillingCountry,BillingPostalCode,OwnerId\n001AAAAAAAAAAAAAAAAAAAA,Acme,,,,\n',
      /line 2: Id is longer than 18/,
    ],
    [
      'a broken quote',
      'Id,Name,Website,BillingCountry,BillingPostalCode,OwnerId\n001A,"Acme,,,,\n',
      /accounts\.csv: not valid CSV/,
    ],
    [
      'a short row',
      'Id,Name,Website,BillingCountry,BillingPostalCode,OwnerId\n001A,Acme\n',
      /accounts\.csv: not valid CSV/,
    ],
  ])('refuses an accounts file with %s and says where', async (_what, text, message) => {
    const accounts = file('accounts.csv', text);
    const code = await runCli([
      'accounts',
      'match',
      '--accounts',
      accounts,
      '--leads',
      join(fixtures, 'leads.csv'),
    ]);
    expect(code).toBe(1);
    expect(errors.join('\n')).toMatch(message);
  });

  it('refuses a missing file and an out-of-range threshold', async () => {
    expect(
      await runCli([
        'accounts',
        'match',
        '--accounts',
        join(dir, 'nope.csv'),
        '--leads',
        join(fixtures, 'leads.csv'),
      ]),
    ).toBe(1);
    expect(errors.join('\n')).toMatch(/cannot read .*nope\.csv: ENOENT/);
    const code = await runCli([
      'accounts',
      'match',
      '--accounts',
      'a',
      '--leads',
      'b',
      '--min-confidence',
      '1.5',
    ]);
    expect(code).not.toBe(0);
  });

  it('meets the precision and recall goals on a generated labelled set through the CSV contract', async () => {
    const set = generateEvaluationSet({ accounts: 500, leads: 800, seed: 99 });
    const csv = (rows: Record<string, string | undefined>[], columns: string[]) =>
      [columns.join(','), ...rows.map((r) => columns.map((c) => JSON.stringify(r[c] ?? '')).join(','))].join(
        '\n',
      );
    const accounts = file(
      'gen-accounts.csv',
      csv(
        set.accounts.map((a) => ({
          Id: a.id,
          Name: a.name,
          Website: a.website,
          BillingCountry: a.country,
          BillingPostalCode: a.postalCode,
          OwnerId: a.ownerId,
        })),
        ['Id', 'Name', 'Website', 'BillingCountry', 'BillingPostalCode', 'OwnerId'],
      ),
    );
    const leads = file(
      'gen-leads.csv',
      csv(
        set.leads.map((l) => ({
          Id: l.id,
          Company: l.company,
          Email: l.email,
          Website: l.website,
          Country: l.country,
          PostalCode: l.postalCode,
        })),
        ['Id', 'Company', 'Email', 'Website', 'Country', 'PostalCode'],
      ),
    );
    const out = join(dir, 'gen-matches.csv');
    expect(await runCli(['accounts', 'match', '--accounts', accounts, '--leads', leads, '--out', out])).toBe(
      0,
    );
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    const scores = scoreMatches(
      set.leads,
      rows.map((r) => r.AccountId || undefined),
    );
    expect(scores.precision).toBeGreaterThanOrEqual(0.97);
    expect(scores.recall).toBeGreaterThanOrEqual(0.9);
  });
});
