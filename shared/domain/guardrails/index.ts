export * from './config.js';
export * from './dates.js';
export * from './evaluate.js';
export * from './model.js';
