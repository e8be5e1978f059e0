// Types only: the server serves @fluent/bundle's ES module build at
// `vendor/fluent-bundle/` beside `dist/` (PAGE_VENDOR_MODULES), and the page imports it from there.
export * from '@fluent/bundle';
