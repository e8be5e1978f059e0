import { describe } from '@jest/globals';
import { itListsSessionsByOidcSession } from '../../../test/support/session-store-contract.js';
import { MemorySessionStore } from './memory-session.store.js';

describe('MemorySessionStore', () => {
  itListsSessionsByOidcSession(() => new MemorySessionStore());
});
