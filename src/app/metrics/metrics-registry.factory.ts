import { collectDefaultMetrics, Registry } from 'prom-client';

/** A registry of its own with the standard process and Node.js metrics (CPU, memory, event loop lag, GC). */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
