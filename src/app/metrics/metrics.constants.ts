/**
 * Injection token of this app's prom-client `Registry`. Not prom-client's
 * global registry: two apps in one process (tests) must not share counters.
 */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/** Seconds from a Telegram update's arrival to the status being emitted to the browser's socket. */
export const PUSH_LATENCY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

/** Every metric of this service starts with this (the default process metrics keep their standard names). */
export const METRIC_PREFIX = 'qr_auth_';
