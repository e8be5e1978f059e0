/**
 * How long a test waits for something that should happen: an event, a Bot API
 * call, a page state. Generous on purpose: CI machines are shared and busy, and
 * a wait returns as soon as the thing happens, so only a failing test pays for
 * it. How fast things happen is the benchmarks' job (npm run bench), not the tests'.
 */
export const PATIENCE_MS = 10_000;
