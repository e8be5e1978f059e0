// See resolver.cjs.
const loaded = globalThis[Symbol.for('jest:esm-for-cjs')]?.['@nestjs/common'];
if (!loaded)
  throw new Error(
    '@nestjs/common was required from CommonJS before test/support/jest/esm-for-cjs.setup.ts ran',
  );
module.exports = loaded;
