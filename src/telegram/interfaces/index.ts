export type { ProcessedUpdates } from './processed-updates.interface.js';
