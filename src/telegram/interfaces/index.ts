export type {
  ProcessedUpdates,
  UpdateClaim,
} from './processed-updates.interface.js';
