import { afterEach, beforeEach, describe } from '@jest/globals';
import { itBehavesLikeProcessedUpdates } from '../../../test/support/processed-updates-contract.js';
import { MemoryProcessedUpdates } from './memory-processed-updates.js';

describe('MemoryProcessedUpdates', () => {
  let updates: MemoryProcessedUpdates;
  let nextId = 1;

  beforeEach(() => {
    updates = new MemoryProcessedUpdates();
  });

  afterEach(() => updates.onModuleDestroy());

  itBehavesLikeProcessedUpdates(
    () => updates,
    () => nextId++,
  );
});
