import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One logger for every entry point; Powertools reads its level from LOG_LEVEL (validated by the
 * config schema) and resets to it each invocation. Log ids, counts and outcomes — never whole
 * events or lead records (personal data) and never secrets.
 */
export const logger = new Logger({ serviceName: 'territory-router' });
