// @nestjs/throttler (and other packages built for Nest <= 11) is CommonJS and require()s the
// ESM-only @nestjs/common and @nestjs/core. Node 20 does that natively (require(esm)); Jest
// cannot before Node 24.9. Such requires get a shim that hands over the very ES module
// instances the tests import (loaded by esm-for-cjs.setup.ts), never a second copy.
const path = require('node:path');

const SHIMS = {
  '@nestjs/common': path.join(__dirname, 'nestjs-common.cjs'),
  '@nestjs/core': path.join(__dirname, 'nestjs-core.cjs'),
};

module.exports = (request, options) => {
  const shim = SHIMS[request];
  const fromCommonJs =
    options.conditions?.includes('require') &&
    !options.conditions.includes('import');
  if (
    shim &&
    fromCommonJs &&
    options.basedir.includes(`${path.sep}node_modules${path.sep}`)
  )
    return shim;
  return options.defaultResolver(request, options);
};
