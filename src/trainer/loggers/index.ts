export type { Logger, RunStatus } from './logger.js';
export { FileLogger, type FileLoggerOptions } from './file-logger.js';
export { CSVLogger, type CSVLoggerOptions } from './csv-logger.js';
export { JSONLLogger } from './jsonl-logger.js';
