export type * from './session-record.interface.js';
export type * from './session-store.interface.js';
