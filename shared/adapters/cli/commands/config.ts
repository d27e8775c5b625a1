import type { Command } from 'commander';
import { ConfigError, parseConfig } from '../../../runtime/config.js';

/** `territory-router config check`: validate the environment the way every entry point does at start. */
export function register(program: Command): void {
  program
    .command('config')
    .description('configuration')
    .command('check')
    .description('validate environment configuration and print the effective values (secrets redacted)')
    .action(() => {
      try {
        const cfg = parseConfig(process.env);
        const redacted = Object.fromEntries(
          Object.entries(cfg).map(([k, v]) => [
            k,
            /SECRET|PASSWORD|WEBHOOK|API_KEY|TOKEN/.test(k) && v ? '***' : v,
          ]),
        );
        console.log(JSON.stringify(redacted, null, 2));
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        console.error(error.message);
        process.exitCode = 2;
      }
    });
}
