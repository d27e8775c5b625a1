import { describe, expect, it } from 'vitest';
import { generateInstance } from '../../../shared/adapters/planning/generate.js';
import { renderAccountsCsv, renderRepsCsv } from '../../../shared/adapters/planning/input-csv.js';
import { parseAccounts, parseReps } from '../../../shared/adapters/planning/load.js';

const HEADER =
  'id,name,revenuePotential,workload,growthPotential,industry,postalCode,latitude,longitude,currentOwnerId,named,openDealAmount,arr';

function accountsFrom(csv: string) {
  const problems: string[] = [];
  const accounts = parseAccounts(csv, 'csv', 'accounts.csv', problems);
  return { accounts, problems };
}

describe('parseAccounts', () => {
  it('reads a row and fills coordinates from the postal code when they are empty', () => {
    const { accounts, problems } = accountsFrom(
      `${HEADER}\n001A,Acme,"$1,200",5,300,Retail,m5v 3l9,,,005R,yes,0,\n`,
    );
    expect(problems).toEqual([]);
    expect(accounts).toEqual([
      {
        id: '001A',
        name: 'Acme',
        revenuePotential: 1200,
        workload: 5,
        growthPotential: 300,
        industry: 'Retail',
        postalCode: 'm5v 3l9',
        location: { latitude: 43.6525, longitude: -79.3686 },
        currentOwnerId: '005R',
        named: true,
        openDealAmount: 0,
        arr: 0,
      },
    ]);
  });

  it('prefers the row’s own coordinates and treats an empty owner as none', () => {
    const { accounts } = accountsFrom(`${HEADER}\n001A,Acme,1,1,1,,M5V,44.1,-78.2,,false,,\n`);
    expect(accounts[0]).toMatchObject({
      location: { latitude: 44.1, longitude: -78.2 },
      currentOwnerId: null,
      named: false,
    });
  });

  it('reports bad rows by data row (1 = first after the header) and file line, and keeps going', () => {
    const { accounts, problems } = accountsFrom(
      [
        HEADER,
        '001A,Ok,1,1,1,,M5V,,,,,,',
        '001B,Bad number,lots,1,1,,M5V,,,,,,',
        '001C,Nowhere,1,1,1,,ZZZ,,,,,,',
        ',No id,1,1,1,,M5V,,,,maybe,,',
      ].join('\n'),
    );
    expect(accounts.map((a) => a.id)).toEqual(['001A']);
    expect(problems).toEqual([
      'accounts.csv row 2 (line 3): revenuePotential: must be a number',
      'accounts.csv row 3 (line 4): postal code "ZZZ" is not in the postal data and no latitude/longitude is given',
      'accounts.csv row 4 (line 5): id: is required',
      'accounts.csv row 4 (line 5): named: must be true or false',
    ]);
  });

  it('names the missing columns once', () => {
    const { problems } = accountsFrom('id,name\n1,x\n');
    expect(problems).toEqual([
      expect.stringMatching(
        /^accounts\.csv: missing columns revenuePotential, workload, growthPotential, industry, postalCode, currentOwnerId/,
      ),
    ]);
  });

  it('reads JSON arrays and numbers items from 1', () => {
    const problems: string[] = [];
    const accounts = parseAccounts(
      JSON.stringify([
        { id: 'A', revenuePotential: 5, workload: 1, growthPotential: 2, postalCode: 'K1A', named: true },
        { id: 'B', revenuePotential: -5, workload: 1, growthPotential: 2, postalCode: 'K1A' },
      ]),
      'json',
      'accounts.json',
      problems,
    );
    expect(accounts).toHaveLength(1);
    expect(accounts[0]?.named).toBe(true);
    expect(problems).toEqual(['accounts.json item 2: revenuePotential: must be ≥ 0']);
  });
});

describe('parseReps', () => {
  it('splits specialisations on semicolons and reads limits and the active flag', () => {
    const problems: string[] = [];
    const reps = parseReps(
      'id,name,postalCode,latitude,longitude,specializations,minAccounts,maxAccounts,active\n005A,Avery,K1A,,,Retail; Energy,10,80,no\n',
      'csv',
      'reps.csv',
      problems,
    );
    expect(problems).toEqual([]);
    expect(reps[0]).toMatchObject({
      specializations: ['Retail', 'Energy'],
      minAccounts: 10,
      maxAccounts: 80,
      active: false,
    });
  });

  it('rejects a minimum above the maximum', () => {
    const problems: string[] = [];
    parseReps(
      'id,name,postalCode,specializations,minAccounts,maxAccounts\nR,Ria,K1A,,9,3\n',
      'csv',
      'reps.csv',
      problems,
    );
    expect(problems).toEqual(['reps.csv row 1 (line 2): minAccounts 9 is above maxAccounts 3']);
  });
});

describe('input CSV round trip', () => {
  it('reads back what it writes', () => {
    const instance = generateInstance({ accounts: 40, reps: 3, seed: 1, unownedShare: 0.1, inactiveReps: 1 });
    const problems: string[] = [];
    expect(parseAccounts(renderAccountsCsv(instance.accounts), 'csv', 'a.csv', problems)).toEqual(
      instance.accounts,
    );
    expect(parseReps(renderRepsCsv(instance.reps), 'csv', 'r.csv', problems)).toEqual(instance.reps);
    expect(problems).toEqual([]);
  });
});
