// See resolver.cjs: the ES module instances CommonJS packages get when they require() Nest.
import * as common from '@nestjs/common';
import * as core from '@nestjs/core';

(globalThis as Record<symbol, unknown>)[Symbol.for('jest:esm-for-cjs')] = {
  '@nestjs/common': common,
  '@nestjs/core': core,
};
