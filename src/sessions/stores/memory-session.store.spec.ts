import { describe } from '@jest/globals';
import {
  itBehavesLikeASessionStore,
  itListsSessionsByOidcSession,
} from '../../../test/support/session-store-contract.js';
import { MemorySessionStore } from './memory-session.store.js';

describe('MemorySessionStore', () => {
  const store = new MemorySessionStore();
  let nextUserId = 1000;
  itBehavesLikeASessionStore(
    () => store,
    () => nextUserId++,
  );
  itListsSessionsByOidcSession(() => new MemorySessionStore());
});
