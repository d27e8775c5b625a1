import { userInfo } from 'node:os';
import { DEMO_ORG_ENV } from '../../local-stack/demo-org-ids.js';
import { type Config, loadConfig } from '../../runtime/config.js';

/**
 * The CLI's configuration: the environment, over the demo org's ids, because commands talk to
 * the local stack unless told otherwise (a real org's ids come from the environment).
 */
export function cliConfig(): Config {
  return loadConfig(DEMO_ORG_ENV);
}

/** Who runs the command, for audit fields; `cli` when the OS cannot say. */
export function cliUser(): string {
  try {
    return userInfo().username || 'cli';
  } catch {
    return 'cli';
  }
}
