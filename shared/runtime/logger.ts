import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One logger for every entry point. Log ids, counts and outcomes — never whole events or lead
 * records (personal data) and never secrets.
 */
export const logger = new Logger({
  serviceName: 'territory-router',
  logLevel: (process.env.LOG_LEVEL ?? 'INFO').toUpperCase() as 'INFO',
});
