// Types only: the server serves @fluent/langneg's ES module build at
// `vendor/fluent-langneg/` beside `dist/` (PAGE_VENDOR_MODULES), and the page imports it from there.
export * from '@fluent/langneg';
