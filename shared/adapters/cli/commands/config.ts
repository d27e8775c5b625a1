import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { runningStack } from '../../../local-stack/stack-record.js';
import { type Config, ConfigError, localPorts } from '../../../runtime/config.js';
import { cliConfig } from '../cli-config.js';

/** Secrets by name, with the DATA_DIR file the local stack generates when the variable is unset. */
const SECRETS: ReadonlyArray<{ name: keyof Config; file?: string; whenUnset: string }> = [
  { name: 'OUTBOUND_SECRET', file: 'outbound-secret', whenUnset: 'npm start generates one' },
  { name: 'REASSIGN_API_KEY', file: 'reassign-api-key', whenUnset: 'npm start generates one' },
  { name: 'APPROVAL_SIGNING_SECRET', file: 'approval-signing-secret', whenUnset: 'npm start generates one' },
  { name: 'SLACK_SIGNING_SECRET', file: 'slack-signing-secret', whenUnset: 'npm start generates one' },
  { name: 'SF_CLIENT_SECRET', whenUnset: 'needed only with SF_LOGIN_URL' },
  { name: 'SF_PASSWORD', whenUnset: 'needed only for a username-password login' },
  { name: 'SLACK_WEBHOOK_URL', whenUnset: 'Slack messages go to the console' },
  { name: 'SLACK_BOT_TOKEN', whenUnset: 'approval messages go to the webhook or the console' },
];

/** Variables whose values are secret even though the list above does not name them. */
const SECRET_NAME = /SECRET|PASSWORD|WEBHOOK|API_KEY|TOKEN/;

export interface SecretState {
  set: boolean;
  /** `env`, or the DATA_DIR file that holds it. */
  source?: string;
  note?: string;
}

export interface ConfigReport {
  valid: true;
  ports: { gateway: number; salesforceEmulator: number; dynamodbLocal: number };
  dataDir: string;
  /** The stack running on DATA_DIR (from DATA_DIR/stack.json), if any: the CLI talks to it. */
  runningStack: { pid: number; gatewayUrl?: string; startedAt: string } | null;
  secrets: Record<string, SecretState>;
  /** Every other effective value; secret-looking names show only whether they are set. */
  settings: Record<string, unknown>;
}

export function configReport(cfg: Config): ConfigReport {
  const ports = localPorts(cfg);
  const running = runningStack(cfg.DATA_DIR);
  const secrets: Record<string, SecretState> = {};
  for (const s of SECRETS) {
    if (cfg[s.name]) secrets[s.name] = { set: true, source: 'env' };
    else if (s.file && existsSync(join(cfg.DATA_DIR, s.file)))
      secrets[s.name] = { set: true, source: join(cfg.DATA_DIR, s.file) };
    else secrets[s.name] = { set: false, note: s.whenUnset };
  }
  const settings = Object.fromEntries(
    Object.entries(cfg)
      .filter(([k]) => !(k in secrets))
      .map(([k, v]) => [k, SECRET_NAME.test(k) ? (v ? '(set)' : '(not set)') : v]),
  );
  return {
    valid: true,
    ports: { gateway: cfg.PORT, salesforceEmulator: ports.salesforce, dynamodbLocal: ports.dynamodb },
    dataDir: cfg.DATA_DIR,
    runningStack: running
      ? {
          pid: running.pid,
          startedAt: running.startedAt,
          ...(running.gatewayUrl ? { gatewayUrl: running.gatewayUrl } : {}),
        }
      : null,
    secrets,
    settings,
  };
}

export function formatConfigReport(report: ConfigReport): string {
  const width =
    Math.max(...[...Object.keys(report.secrets), ...Object.keys(report.settings)].map((k) => k.length)) + 1;
  const row = (label: string, value: string | number, note: string) =>
    `  ${label.padEnd(width)} ${String(value).padEnd(8)} ${note}`;
  const lines = [
    'Configuration is valid.',
    '',
    'Ports (local stack)',
    row('gateway', report.ports.gateway, 'PORT'),
    row('Salesforce emulator', report.ports.salesforceEmulator, 'SF_EMULATOR_PORT (default PORT + 1)'),
    row('DynamoDB Local', report.ports.dynamodbLocal, 'DYNAMODB_PORT (default PORT + 2)'),
    row('data directory', report.dataDir, 'DATA_DIR'),
    report.runningStack
      ? `  running stack: pid ${report.runningStack.pid} since ${report.runningStack.startedAt}${report.runningStack.gatewayUrl ? ` at ${report.runningStack.gatewayUrl}` : ''} (CLI commands use it)`
      : '  no local stack is running on this DATA_DIR',
    '',
    'Secrets (values are never printed)',
    ...Object.entries(report.secrets).map(
      ([name, s]) =>
        `  ${name.padEnd(width)} ${s.set ? `set (${s.source === 'env' ? 'environment' : s.source})` : `not set — ${s.note}`}`,
    ),
    '',
    'Settings',
    ...Object.entries(report.settings).map(
      ([name, v]) => `  ${name.padEnd(width)} ${typeof v === 'string' ? v : JSON.stringify(v)}`,
    ),
  ];
  return lines.join('\n');
}

/** `territory-router config check`: validate the environment the way every entry point does at start. */
export function register(program: Command): void {
  program
    .command('config')
    .description('check the configuration')
    .command('check')
    .description(
      'validate the environment and print ports, which secrets are set (never their values) and settings',
    )
    .option('--json', 'print the report as JSON')
    .action((options: { json?: boolean }) => {
      let cfg: Config;
      try {
        cfg = cliConfig();
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        if (options.json) console.log(JSON.stringify({ valid: false, problems: error.problems }, null, 2));
        else console.error(error.message);
        process.exitCode = 2;
        return;
      }
      const report = configReport(cfg);
      console.log(options.json ? JSON.stringify(report, null, 2) : formatConfigReport(report));
    });
}
